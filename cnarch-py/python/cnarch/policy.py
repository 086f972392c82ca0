"""Policy evaluation (`cnarch_core::policy`).

- `NetworkPolicyEngine(namespaces, pods, policies)`: Kubernetes NetworkPolicy semantics.
  `engine.evaluate("ns/pod" or IP, "ns/pod" or IP, port, protocol="TCP")` returns
  `{"allowed": bool, "egress": {...}, "ingress": {...}}`, each direction with its `verdict`
  (`not_applicable`, `not_isolated`, `allowed` with `policy` and `rule`, or `denied` with
  `isolated_by`); `engine.connectivity(port)` is the pod-to-pod truth table;
  `engine.policies_selecting(namespace, name)`.
- `authorize(policies, request)`: Istio AuthorizationPolicy semantics over mesh policies;
  returns `{"allowed", "decision": {"decision": ..., "rule": ...}, "audited", "dry_run"}`.

Problems with policies or endpoints raise `cnarch.PolicyError`.
"""

from ._core import NetworkPolicyEngine, authorize

__all__ = ["NetworkPolicyEngine", "authorize"]
