//! Integration tests of chiso-extract: decoding, local files, HTTP against a local server.
//!
//! The Vietnamese sentences are composed for these tests in the style of provincial
//! socio-economic reports; no test reads outside the crate or touches the network.
#![allow(clippy::panic, clippy::unwrap_used)] // test and bench code: a failed expectation panics by design

mod cache;
mod corpus_url;
mod decode;
mod expand;
mod html;
mod http;
mod local;
mod server;
mod support;
mod tables;
