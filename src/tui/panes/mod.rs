pub mod change;
pub mod detail;
pub mod help;
pub mod records;
pub mod related;
pub mod status;
pub mod tables;
