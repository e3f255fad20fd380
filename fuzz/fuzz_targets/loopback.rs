//! What reaches the browser sign-in's loopback port: any request head gives an answer, never a
//! panic, and only a head that carries the `state` azreg sent counts as one.
#![no_main]

use azreg::remote::signin::browser::{Answer, read_answer};
use libfuzzer_sys::fuzz_target;

const STATE: &str = "S0123456789abcdef";

fuzz_target!(|data: &[u8]| {
    let head = String::from_utf8_lossy(data);
    match read_answer(&head, STATE) {
        Answer::Stray => {}
        Answer::Code(c) => {
            assert!(!c.is_empty());
            assert!(head.contains(STATE));
        }
        Answer::Refused(..) => assert!(head.contains(STATE)),
    }
});
