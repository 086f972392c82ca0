//! Simulated SQS queues (`Queue`): CreateQueue's attributes as objects, times in
//! milliseconds, results as objects.

use cnarch_core::ffi;
use wasm_bindgen::prelude::*;

use crate::convert::{number, opt_data, string, to_js_value};
use crate::error::{OrJs, HOST};

/// A simulated SQS queue with its dead-letter queue; times in milliseconds, queue
/// attributes in AWS's names and units (seconds).
#[wasm_bindgen]
#[derive(Debug)]
pub struct Queue(pub(crate) cnarch_core::events::sqs::Queue);

#[wasm_bindgen]
impl Queue {
    /// A queue named `name` with CreateQueue's `attributes` and its dead-letter queue's.
    #[wasm_bindgen(constructor)]
    pub fn new(
        name: JsValue,
        attributes: JsValue,
        dead_letter_attributes: JsValue,
    ) -> Result<Queue, JsValue> {
        let name = string(&name, "name")?;
        let a = opt_data(&attributes, "attributes")?;
        let d = opt_data(&dead_letter_attributes, "deadLetterAttributes")?;
        ffi::sqs::queue(HOST, &name, a.as_ref(), d.as_ref())
            .map(Queue)
            .or_js()
    }

    /// The queue's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.0.name().to_string()
    }

    /// The dead-letter queue's name, or `undefined`.
    #[wasm_bindgen(getter, js_name = deadLetterName)]
    pub fn dead_letter_name(&self) -> Option<String> {
        self.0.dead_letter_name().map(str::to_string)
    }

    /// Whether it is a FIFO queue.
    #[wasm_bindgen(getter)]
    pub fn fifo(&self) -> bool {
        self.0.is_fifo()
    }

    /// SendMessage at `now` (ms); `options`: `{delaySeconds, messageGroupId,
    /// messageDeduplicationId}`.
    pub fn send(
        &mut self,
        now: JsValue,
        body: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let now = number(&now, "now")?;
        let body = string(&body, "body")?;
        let o = opt_data(&options, "options")?;
        to_js_value(&ffi::sqs::send(HOST, &mut self.0, now, &body, o.as_ref()).or_js()?)
    }

    /// ReceiveMessage at `now` (ms); `options`: `{maxMessages, visibilityTimeout,
    /// waitTimeSeconds, deadLetter}`.
    pub fn receive(&mut self, now: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let now = number(&now, "now")?;
        let o = opt_data(&options, "options")?;
        to_js_value(&ffi::sqs::receive(HOST, &mut self.0, now, o.as_ref()).or_js()?)
    }

    /// DeleteMessage at `now` (ms) by the message's latest receipt handle.
    pub fn delete(&mut self, now: JsValue, receipt_handle: JsValue) -> Result<(), JsValue> {
        let now = number(&now, "now")?;
        let h = string(&receipt_handle, "receiptHandle")?;
        ffi::sqs::delete(HOST, &mut self.0, now, &h).or_js()
    }

    /// ChangeMessageVisibility at `now` (ms): visible again `visibilityTimeout` whole seconds
    /// from now.
    #[wasm_bindgen(js_name = changeVisibility)]
    pub fn change_visibility(
        &mut self,
        now: JsValue,
        receipt_handle: JsValue,
        visibility_timeout: JsValue,
    ) -> Result<(), JsValue> {
        let now = number(&now, "now")?;
        let h = string(&receipt_handle, "receiptHandle")?;
        let t = number(&visibility_timeout, "visibilityTimeout")?;
        ffi::sqs::change_visibility(HOST, &mut self.0, now, &h, t).or_js()
    }

    /// The queue's numbers at `now` (ms), its dead-letter queue's under `deadLetter`.
    pub fn metrics(&mut self, now: JsValue) -> Result<JsValue, JsValue> {
        let now = number(&now, "now")?;
        to_js_value(&ffi::sqs::metrics(HOST, &mut self.0, now).or_js()?)
    }
}
