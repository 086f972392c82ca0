//! Autoscaling: the HPA's replica calculator and controller, Knative's KPA, KEDA and the
//! simulator. Times are milliseconds; every default is the controller's own (`ffi::autoscale`).

use cnarch_core::autoscale::hpa::HorizontalAutoscaler as CoreHpa;
use cnarch_core::autoscale::keda::{is_active as keda_is_active, ScaledObject as CoreScaledObject};
use cnarch_core::autoscale::kpa::ServerlessAutoscaler as CoreKpa;
use cnarch_core::ffi;
use wasm_bindgen::prelude::*;

use crate::convert::{data, opt_data, out, seed, time, to_js_value, whole, whole_f64};
use crate::error::{type_error, OrJs, HOST};

/// The HPA replica calculator for one per-pod metric: `{desiredReplicas, utilization,
/// rawAverage, value}`. Options: `targetUtilization` or `targetAverageValue`, `resource`
/// (absent: `"cpu"`; `null` for a Pods metric), `tolerance`, `scaleUpTolerance`,
/// `scaleDownTolerance`, `now` (ms; absent: the latest time a pod reports),
/// `cpuInitializationPeriod`, `initialReadinessDelay` (ms).
#[wasm_bindgen(js_name = replicaCalc)]
pub fn replica_calc(
    current_replicas: JsValue,
    pods: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let r = ffi::autoscale::replica_calc(
        HOST,
        whole(&current_replicas, "currentReplicas")?,
        &data(&pods, "pods")?,
        opt_data(&options, "options")?.as_ref(),
    )
    .or_js()?;
    out(&r)
}

/// The proposal for an Object or External metric: options `targetValue` or
/// `targetAverageValue`, `readyPodCount`, tolerances. `{desiredReplicas, value}`.
#[wasm_bindgen(js_name = objectReplicaCalc)]
pub fn object_replica_calc(
    current_replicas: JsValue,
    total: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let r = ffi::autoscale::object_replica_calc(
        HOST,
        whole(&current_replicas, "currentReplicas")?,
        &data(&total, "total")?,
        opt_data(&options, "options")?.as_ref(),
    )
    .or_js()?;
    out(&r)
}

/// The HPA controller for an autoscaling/v2 spec (Kubernetes' JSON shape).
#[wasm_bindgen]
#[derive(Debug)]
pub struct HorizontalAutoscaler(CoreHpa);

#[wasm_bindgen]
impl HorizontalAutoscaler {
    /// Options: `tolerance`, `downscaleStabilization`, `cpuInitializationPeriod`,
    /// `initialReadinessDelay` (ms), `recommendations` (`[ms, replicas]`), `scaleEvents`
    /// (`[ms, change]`). Throws `ValidationError` naming the spec's fields.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: JsValue, options: JsValue) -> Result<HorizontalAutoscaler, JsValue> {
        ffi::autoscale::horizontal_autoscaler(
            HOST,
            &data(&spec, "spec")?,
            opt_data(&options, "options")?.as_ref(),
        )
        .map(HorizontalAutoscaler)
        .or_js()
    }

    /// One reconcile: `metrics` has one entry per metric (an array of pods, a value, or
    /// `{error}`); `options` may give `statusReplicas` and `pods`. Returns the decision with
    /// camelCase keys; conditions' `status` is `"True"` or `"False"`, as Kubernetes writes it.
    pub fn decide(
        &mut self,
        now: f64,
        current_replicas: JsValue,
        metrics: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let d = ffi::autoscale::hpa_decide(
            HOST,
            &mut self.0,
            now,
            whole(&current_replicas, "currentReplicas")?,
            &data(&metrics, "metrics")?,
            opt_data(&options, "options")?.as_ref(),
        )
        .or_js()?;
        out(&d)
    }

    /// The controller's names for the metrics, in the order `decide` takes them.
    #[wasm_bindgen(getter, js_name = metricNames)]
    pub fn metric_names(&self) -> Vec<String> {
        self.0.metrics().iter().map(|m| m.display_name()).collect()
    }
}

/// How a KPA starts: the decider's inputs set directly, the start time and ready pods.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KpaStart {
    decider: Option<serde_json::Value>,
    start: Option<f64>,
    start_ready: Option<u32>,
}

/// Knative's KPA (config keys are `config-autoscaler`'s in camelCase, durations in ms).
#[wasm_bindgen]
#[derive(Debug)]
pub struct ServerlessAutoscaler(CoreKpa);

#[wasm_bindgen]
impl ServerlessAutoscaler {
    /// Options: `decider` (Knative's DeciderSpec in camelCase), `start` (ms), `startReady`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue, options: JsValue) -> Result<ServerlessAutoscaler, JsValue> {
        // The decider is re-spelled by the call below, with the configuration.
        let o: KpaStart = ffi::options(
            HOST,
            opt_data(&options, "options")?.as_ref(),
            "options",
            &["decider"],
        )
        .or_js()?;
        ffi::autoscale::serverless_autoscaler(
            HOST,
            opt_data(&config, "config")?.as_ref(),
            o.decider.as_ref(),
            o.start.unwrap_or(0.0),
            o.start_ready.unwrap_or(0),
        )
        .map(ServerlessAutoscaler)
        .or_js()
    }

    /// `{desiredReplicas, autoscalerReplicas, panicking, excessBurstCapacity, reason}`.
    pub fn scale(
        &mut self,
        now: f64,
        stable: f64,
        panic: f64,
        ready_pods: JsValue,
        reachable: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        let d = self
            .0
            .scale_reachable(
                time(now, "now")?,
                stable,
                panic,
                whole(&ready_pods, "readyPods")?,
                reachable.unwrap_or(true),
            )
            .or_js()?;
        out(&d)
    }
}

/// KEDA's executor for one ScaledObject (fields camelCase as in its spec; seconds as there).
#[wasm_bindgen]
#[derive(Debug)]
pub struct ScaledObject(CoreScaledObject);

#[wasm_bindgen]
impl ScaledObject {
    /// Throws `ConfigError` (`invalid_scaled_object`) for what KEDA's webhook refuses.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<ScaledObject, JsValue> {
        ffi::autoscale::scaled_object(HOST, &data(&config, "config")?)
            .map(ScaledObject)
            .or_js()
    }

    /// One poll (`now` in ms; `values` one per trigger, `null` when its scaler erred).
    pub fn poll(
        &mut self,
        now: f64,
        current_replicas: f64,
        values: Vec<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let current_replicas: u32 = whole_f64(current_replicas, "currentReplicas")?;
        let values: Vec<Option<f64>> = values
            .iter()
            .enumerate()
            .map(|(i, v)| match v.as_f64() {
                Some(x) => Ok(Some(x)),
                None if v.is_null() || v.is_undefined() => Ok(None),
                None => Err(type_error(
                    &format!("values[{i}]"),
                    "a number, or null when the scaler erred",
                    v,
                )),
            })
            .collect::<Result<_, _>>()?;
        out(&self.0.poll(time(now, "now")?, current_replicas, &values))
    }

    /// The HPA spec KEDA creates.
    #[wasm_bindgen(js_name = hpaSpec)]
    pub fn hpa_spec(&self) -> Result<JsValue, JsValue> {
        to_js_value(&self.0.hpa_spec())
    }
}

/// Whether a KEDA trigger with this value is active (KEDA's default `activationThreshold`
/// is 0).
#[wasm_bindgen(js_name = kedaActivation)]
pub fn keda_activation(value: f64, activation_threshold: Option<f64>) -> bool {
    keda_is_active(
        value,
        activation_threshold.unwrap_or(cnarch_core::autoscale::keda::DEFAULT_ACTIVATION_THRESHOLD),
    )
}

/// Replays `trace` (`[[ms, demand], ...]` or `{time: [...], demand: [...]}`) through `config`
/// (`{hpa: spec}` or `{kpa: {...}}`, `pod`, `tick`, `scrapeInterval`, `metricWindow`,
/// `initialReplicas`, `demandNoise`; ms). Returns `{timeline: {time (ms), demand, ...},
/// summary}`.
#[wasm_bindgen]
pub fn simulate(config: JsValue, trace: JsValue, seed_arg: JsValue) -> Result<JsValue, JsValue> {
    let r = ffi::autoscale::simulate(
        HOST,
        &data(&config, "config")?,
        &data(&trace, "trace")?,
        seed(&seed_arg, "seed")?,
    )
    .or_js()?;
    out(&r)
}

/// Both configurations on the same trace and seed.
#[wasm_bindgen]
pub fn compare(
    a: JsValue,
    b: JsValue,
    trace: JsValue,
    seed_arg: JsValue,
) -> Result<JsValue, JsValue> {
    let r = ffi::autoscale::compare(
        HOST,
        &data(&a, "a")?,
        &data(&b, "b")?,
        &data(&trace, "trace")?,
        seed(&seed_arg, "seed")?,
    )
    .or_js()?;
    out(&r)
}
