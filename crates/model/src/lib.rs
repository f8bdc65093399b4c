//! Forecasting library: pure computation, no I/O.
