//! Envoy's outlier detection.

use cnarch_core::ffi;
use cnarch_core::resilience::outlier::{HostResult, OutlierAction, OutlierDetector};
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::{opt_json, secs, status_or_name, time_in};
use crate::error::{OrPy, HOST};

/// An outlier event as the Python facade unpacks it: at, host, action, kind, duration.
type EventTuple = (f64, String, &'static str, Option<&'static str>, Option<f64>);

/// The native outlier detector (hosts are strings).
#[pyclass(name = "_OutlierDetector", module = "cnarch._core")]
pub(crate) struct PyOutlier(OutlierDetector<String>);

#[guarded]
#[pymethods]
impl PyOutlier {
    #[new]
    fn new(config: Option<&Bound<'_, PyAny>>, start: f64, seed: u64) -> PyResult<Self> {
        {
            let c = ffi::resilience::outlier_config(HOST, opt_json(config, "config")?.as_ref())
                .or_py()?;
            OutlierDetector::new(c, time_in(start)?, seed)
                .map(PyOutlier)
                .or_py()
        }
    }

    /// Istio's `outlierDetection` fields (`consecutive_5xx_errors`, `interval`,
    /// `base_ejection_time`), absent ones at Istio's defaults.
    #[staticmethod]
    fn istio(options: &Bound<'_, PyAny>, start: f64, seed: u64) -> PyResult<Self> {
        let o = crate::convert::json_of(options, "options")?;
        let c = ffi::resilience::istio_outlier(HOST, Some(&o)).or_py()?;
        OutlierDetector::new(c, time_in(start)?, seed)
            .map(PyOutlier)
            .or_py()
    }

    fn add_host(&mut self, host: String) -> PyResult<()> {
        {
            {
                self.0.add_host(host);
            }
            Ok(())
        }
    }

    fn remove_host(&mut self, host: String) -> PyResult<bool> {
        Ok(self.0.remove_host(&host))
    }

    fn record(&mut self, now: f64, host: String, result: &Bound<'_, PyAny>) -> PyResult<()> {
        {
            let r = status_or_name::<HostResult>(
                result,
                "result",
                "an HTTP status (int), \"connect_failure\" or \"timeout\"",
            )?;
            self.0.record(time_in(now)?, &host, r);
            Ok(())
        }
    }

    fn advance(&mut self, now: f64) -> PyResult<()> {
        {
            {
                self.0.advance(time_in(now)?);
            }
            Ok(())
        }
    }

    /// `[(at, host, action, kind_or_None, duration_or_None)]`.
    fn take_events(&mut self) -> PyResult<Vec<EventTuple>> {
        {
            Ok({
                self.0
                    .take_events()
                    .into_iter()
                    .map(|e| {
                        let duration = match e.action {
                            OutlierAction::Eject { duration, .. } => Some(secs(duration)),
                            _ => None,
                        };
                        (
                            e.at.as_nanos() as f64 / 1e9,
                            e.host,
                            e.action.as_str(),
                            e.action.kind().map(|k| k.as_str()),
                            duration,
                        )
                    })
                    .collect()
            })
        }
    }

    fn is_ejected(&self, host: String) -> PyResult<bool> {
        Ok(self.0.is_ejected(&host))
    }

    fn ejected(&self) -> PyResult<Vec<String>> {
        Ok(self.0.ejected().into_iter().cloned().collect())
    }

    fn hosts(&self) -> PyResult<Vec<String>> {
        Ok(self.0.hosts().cloned().collect())
    }
}
