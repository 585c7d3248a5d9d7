//! TODO browser
