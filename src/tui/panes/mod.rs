pub mod detail;
pub mod help;
pub mod records;
pub mod status;
pub mod tables;
