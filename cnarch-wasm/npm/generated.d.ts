// Generated from cnarch-core's ffi types by ts-rs: do not edit. Regenerate with
// CNARCH_BLESS=1 cargo test -p cnarch-core --features ts --test typescript

export type Violation = { 
/**
 * Index of the document in its file (0-based).
 */
document: number, 
/**
 * The document's `name`, when it has one.
 */
name?: string, 
/**
 * Dotted path inside the document, list items as `[i]`, map entries as `.key`
 * (e.g. `healthCheck.liveness.periodSeconds`, `services[0].port`). Empty for the whole
 * document.
 */
path: string, 
/**
 * Stable snake_case code (the same in every binding).
 */
code: string, 
/**
 * What was expected and what was found.
 */
message: string, 
/**
 * The line (1-based) where the value at `path` starts in the source text; when the value
 * is missing, the line of the nearest enclosing value; absent for input that was not text.
 */
line?: number, 
/**
 * The column (1-based, in characters) that goes with `line`.
 */
column?: number, };

export type Span = number | string;

export type RetryOptions = { 
/**
 * Attempts in all (the first call included).
 */
maxAttempts: number, 
/**
 * `constant`, `linear` or `exponential` (default `exponential`).
 */
backoff?: string, 
/**
 * The first wait (default 100 ms): milliseconds from JavaScript, seconds from Python, or
 * duration text.
 */
initial?: Span, 
/**
 * The exponential multiplier (default 2).
 */
multiplier?: number, 
/**
 * The cap on a wait (default 10 s), in the same units as `initial`.
 */
maxDelay?: Span, 
/**
 * `none`, `full`, `equal` or `decorrelated` (default `full`).
 */
jitter?: string, };

export type BulkheadOptions = { 
/**
 * Calls in flight at once.
 */
maxConcurrent: number, 
/**
 * Waiters held in line (default 0: no queue).
 */
maxQueued?: number, 
/**
 * The longest a waiter waits (default: until served or cancelled): milliseconds from
 * JavaScript, seconds from Python, or duration text.
 */
maxWait?: Span, };

export type IstioOutlierOptions = { 
/**
 * `consecutive5xxErrors` (default 5; 0 turns consecutive-5xx ejection off).
 */
consecutive5xxErrors?: number, 
/**
 * `interval` between ejection sweeps (default 10 s): milliseconds from JavaScript,
 * seconds from Python, or duration text.
 */
interval?: Span, 
/**
 * `baseEjectionTime` (default 30 s), in the same units as `interval`.
 */
baseEjectionTime?: Span, };
