//! Kubelet probe timelines and bounds (`cnarch.probes`): dicts in, dicts out.

use cnarch_core::ffi;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::{json_of, opt_json, to_py};
use crate::error::{OrPy, HOST};

/// The probes of a health check run against a container's behaviour.
#[guarded]
#[pyfunction]
#[pyo3(signature = (health_check, behaviour=None, options=None))]
pub fn _probe_timeline(
    py: Python<'_>,
    health_check: &Bound<'_, PyAny>,
    behaviour: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    {
        let h = json_of(health_check, "health_check")?;
        let b = opt_json(behaviour, "behaviour")?;
        let o = opt_json(options, "options")?;
        let r = ffi::probes::timeline(HOST, &h, b.as_ref(), o.as_ref()).or_py()?;
        to_py(py, &r)
    }
}

/// The worst-case times of a health check.
#[guarded]
#[pyfunction]
#[pyo3(signature = (health_check, options=None))]
pub fn _probe_bounds(
    py: Python<'_>,
    health_check: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    {
        let h = json_of(health_check, "health_check")?;
        let o = opt_json(options, "options")?;
        let r = ffi::probes::bounds(HOST, &h, o.as_ref()).or_py()?;
        to_py(py, &r)
    }
}

/// The wait before the `restart`-th restart, in seconds.
#[guarded]
#[pyfunction]
pub fn _probe_back_off(restart: u32) -> PyResult<f64> {
    {
        Ok(ffi::probes::back_off(HOST, restart))
    }
}
