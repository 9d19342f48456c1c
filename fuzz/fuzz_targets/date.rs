//! The date parser: never panics; what parses is a non-empty interval, and its canonical text
//! parses back to the same date.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lineage::DateSpec;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(d) = DateSpec::parse(&text) else {
        return;
    };
    assert!(d.earliest() <= d.latest(), "{text:?}: empty interval");
    let again = DateSpec::parse(d.as_str()).expect("canonical text parses");
    assert_eq!(again, d, "{text:?}: canonical text is not canonical");
    let _ = (d.iso_bounds(), d.first_year(), d.last_year(), d.to_string());
});
