//! Kubernetes NetworkPolicy evaluation and Istio-style mesh authorization.

use cnarch_core::ffi;
use cnarch_core::policy::network::NetworkPolicyEngine;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::{json_of, to_py};
use crate::error::{OrPy, HOST};

/// Namespaces, pods and NetworkPolicies, ready to decide connections
/// (`cnarch.policy.NetworkPolicyEngine`).
#[pyclass(name = "NetworkPolicyEngine", module = "cnarch.policy", frozen)]
pub(crate) struct PyNetworkPolicyEngine(NetworkPolicyEngine);

#[guarded]
#[pymethods]
impl PyNetworkPolicyEngine {
    #[new]
    fn new(
        namespaces: &Bound<'_, PyAny>,
        pods: &Bound<'_, PyAny>,
        policies: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        ffi::policy::engine(
            HOST,
            &json_of(namespaces, "namespaces")?,
            &json_of(pods, "pods")?,
            &json_of(policies, "policies")?,
        )
        .map(PyNetworkPolicyEngine)
        .or_py()
    }

    /// Decides a connection; endpoints are `"namespace/name"` or an IP address. Returns
    /// `{"allowed", "egress", "ingress"}` with each direction's verdict and reason.
    #[pyo3(signature = (source, destination, port, protocol = None))]
    fn evaluate(
        &self,
        py: Python<'_>,
        source: &str,
        destination: &str,
        port: u16,
        protocol: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let proto = ffi::policy::protocol(HOST, protocol).or_py()?;
        let v = self
            .0
            .evaluate_str(source, destination, port, proto)
            .or_py()?;
        to_py(py, &v)
    }

    /// The pod-to-pod truth table for one port (pods in the order given).
    #[pyo3(signature = (port, protocol = None))]
    fn connectivity(&self, port: u16, protocol: Option<&str>) -> PyResult<Vec<Vec<bool>>> {
        let proto = ffi::policy::protocol(HOST, protocol).or_py()?;
        Ok(self.0.connectivity(port, proto))
    }

    /// `namespace/name` of the policies that select a pod.
    fn policies_selecting(&self, namespace: &str, name: &str) -> PyResult<Vec<String>> {
        self.0.policies_selecting(namespace, name).or_py()
    }
}

/// Decides a request against mesh policies with Istio AuthorizationPolicy semantics.
#[guarded]
#[pyfunction]
pub fn authorize(
    py: Python<'_>,
    policies: &Bound<'_, PyAny>,
    request: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let v = ffi::policy::authorize(
        HOST,
        &json_of(policies, "policies")?,
        &json_of(request, "request")?,
    )
    .or_py()?;
    to_py(py, &v)
}
