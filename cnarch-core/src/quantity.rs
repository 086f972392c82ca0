//! Kubernetes resource quantities (`500m`, `512Mi`, `1.5Gi`, `1e3`), exact.
//!
//! Follows `k8s.io/apimachinery/pkg/api/resource` (`ParseQuantity`, `CanonicalizeBytes`):
//!
//! - grammar: an optional sign, digits with an optional fraction (`1`, `1.5`, `.5`, `1.`), then a
//!   suffix: decimal SI (`n u m "" k M G T P E`), binary SI (`Ki Mi Gi Ti Pi Ei`) or a decimal
//!   exponent (`e3`, `E-2`);
//! - values finer than a nanounit are rounded up, away from zero, to the next nanounit
//!   (`0.1n` becomes `1n`), as Kubernetes does so that a request for "some" resource is never 0;
//! - binary-SI values saturate at the int64 bound (`8Ei` becomes `9223372036854775807`);
//! - the canonical text keeps the parsed format (decimal SI, binary SI or exponent), uses no
//!   fraction digits and the largest suffix that loses nothing: `1024Mi` → `1Gi`, `5000m` → `5`,
//!   `0.5` → `500m`, `1.5Gi` → `1536Mi`; beyond the largest suffix (`E`, `Ei`) the exact exponent
//!   form is used (`1000E` → `1e21`, `1Ei` × 1024 → `1180591620717411303424`).
//!
//! The value is held exactly as an integer count of nanounits (`i128`), so arithmetic and
//! ordering never touch floating point.
//!
//! Where cnarch differs from apimachinery, on purpose:
//! - apimachinery echoes the input text when it looks canonical (`+5` stays `+5`, `1E3` stays
//!   `1E3`); cnarch always prints the canonical form (`5`, `1e3`), which is what apimachinery
//!   prints for the same value after any arithmetic;
//! - magnitudes of 10^29 units and more (far beyond any resource) are rejected with
//!   [`QuantityError::OutOfRange`] instead of being carried in arbitrary precision.
//!
//! ```
//! use cnarch_core::quantity::Quantity;
//! let q: Quantity = "1.5Gi".parse().unwrap();
//! assert_eq!(q.to_string(), "1536Mi");
//! assert_eq!(q.value(), 1_610_612_736);
//! let cpu: Quantity = "0.5".parse().unwrap();
//! assert_eq!(cpu.to_string(), "500m");
//! assert!(cpu < "1".parse().unwrap());
//! ```

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const NANOS_PER_UNIT: i128 = 1_000_000_000;
const INT64_MAX_NANOS: i128 = (i64::MAX as i128) * NANOS_PER_UNIT;

/// How a quantity prints, remembered from the text it was parsed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuantityFormat {
    /// `12e6`
    DecimalExponent,
    /// `12Mi` (12 × 2^20)
    BinarySI,
    /// `12M` (12 × 10^6)
    DecimalSI,
}

/// Why a quantity text was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    /// The text is empty or does not follow the quantity grammar.
    #[error("invalid quantity `{input}`: expected a number with an optional suffix (n, u, m, k, M, G, T, P, E, Ki..Ei or an exponent like e3)")]
    Format {
        /// The rejected text.
        input: String,
    },
    /// The suffix is not one Kubernetes knows.
    #[error("invalid quantity `{input}`: unknown suffix `{suffix}`, expected one of n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent like e3")]
    Suffix {
        /// The rejected text.
        input: String,
        /// The suffix found.
        suffix: String,
    },
    /// The magnitude is too large to hold exactly.
    #[error("invalid quantity `{input}`: magnitude out of range, expected less than 10^29")]
    OutOfRange {
        /// The rejected text.
        input: String,
    },
    /// A sum or difference past the representable range.
    #[error("quantity {op} out of range: `{left}` {sign} `{right}` exceeds about 1.7 × 10^29")]
    Overflow {
        /// `sum` or `difference`.
        op: &'static str,
        /// `+` or `-`.
        sign: &'static str,
        /// The left operand, canonical.
        left: String,
        /// The right operand, canonical.
        right: String,
    },
}

impl QuantityError {
    /// Stable snake_case code, the same in every binding.
    pub fn code(&self) -> &'static str {
        match self {
            QuantityError::Format { .. } => "invalid_quantity",
            QuantityError::Suffix { .. } => "invalid_quantity_suffix",
            QuantityError::OutOfRange { .. } => "quantity_out_of_range",
            QuantityError::Overflow { .. } => "quantity_overflow",
        }
    }
}

/// An exact Kubernetes resource quantity. Equality, hashing and ordering are by value:
/// `1Ki == 1024`, as in apimachinery's `Cmp`.
#[derive(Clone, Copy)]
pub struct Quantity {
    nanos: i128,
    format: QuantityFormat,
}

impl fmt::Debug for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Quantity({})", self)
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}
impl Eq for Quantity {}
impl Hash for Quantity {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.nanos.hash(state);
    }
}
impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

impl Default for Quantity {
    fn default() -> Self {
        Quantity::ZERO
    }
}

fn decimal_suffix_exponent(s: &str) -> Option<i32> {
    Some(match s {
        "n" => -9,
        "u" => -6,
        "m" => -3,
        "" => 0,
        "k" => 3,
        "M" => 6,
        "G" => 9,
        "T" => 12,
        "P" => 15,
        "E" => 18,
        _ => return None,
    })
}

fn binary_suffix_exponent(s: &str) -> Option<u32> {
    Some(match s {
        "Ki" => 10,
        "Mi" => 20,
        "Gi" => 30,
        "Ti" => 40,
        "Pi" => 50,
        "Ei" => 60,
        _ => return None,
    })
}

const DECIMAL_SUFFIXES: [&str; 10] = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"];
const BINARY_SUFFIXES: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

/// The pieces the apimachinery scanner splits a quantity into.
struct Scanned<'a> {
    negative: bool,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

fn is_digit(b: u8) -> bool {
    b.is_ascii_digit()
}

/// Mirrors apimachinery's `parseQuantityString`, including what it accepts (`1.`, `.5`, `-`).
fn scan(s: &str) -> Option<Scanned<'_>> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut negative = false;
    if pos < end && (b[0] == b'-' || b[0] == b'+') {
        negative = b[0] == b'-';
        pos += 1;
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Some(Scanned {
            negative,
            num: "0",
            denom: "",
            suffix: "",
        });
    }
    let num_start = pos;
    while pos < end && is_digit(b[pos]) {
        pos += 1;
    }
    let mut num = &s[num_start..pos];
    if num.is_empty() {
        num = "0";
    }
    let mut denom = "";
    if pos < end && b[pos] == b'.' {
        pos += 1;
        let d_start = pos;
        while pos < end && is_digit(b[pos]) {
            pos += 1;
        }
        denom = &s[d_start..pos];
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < end && is_digit(b[pos]) {
        pos += 1;
    }
    if pos < end {
        return None;
    }
    Some(Scanned {
        negative,
        num,
        denom,
        suffix: &s[suffix_start..],
    })
}

/// Decimal digits (most significant first) of `digits × 2^bin_exp`.
fn digits_times_pow2(digits: &str, bin_exp: u32) -> Vec<u8> {
    let mut v: Vec<u8> = digits.bytes().map(|c| c - b'0').collect();
    let mut remaining = bin_exp;
    while remaining > 0 {
        let step = remaining.min(16);
        remaining -= step;
        let mul = 1u32 << step;
        let mut carry = 0u32;
        for d in v.iter_mut().rev() {
            let x = u32::from(*d) * mul + carry;
            *d = (x % 10) as u8;
            carry = x / 10;
        }
        while carry > 0 {
            v.insert(0, (carry % 10) as u8);
            carry /= 10;
        }
    }
    v
}

impl Quantity {
    /// Zero, in decimal SI.
    pub const ZERO: Quantity = Quantity {
        nanos: 0,
        format: QuantityFormat::DecimalSI,
    };

    /// Parses Kubernetes quantity text.
    #[deny(clippy::arithmetic_side_effects)]
    pub fn parse(input: &str) -> Result<Quantity, QuantityError> {
        let format_err = || QuantityError::Format {
            input: input.to_string(),
        };
        if input.is_empty() {
            return Err(format_err());
        }
        let sc = scan(input).ok_or_else(format_err)?;
        // Interpret the suffix as apimachinery's suffixer does.
        let (format, dec_exp, bin_exp) = if let Some(e) = decimal_suffix_exponent(sc.suffix) {
            (QuantityFormat::DecimalSI, e, 0u32)
        } else if let Some(e) = binary_suffix_exponent(sc.suffix) {
            (QuantityFormat::BinarySI, 0, e)
        } else if sc.suffix.len() > 1 && (sc.suffix.starts_with('e') || sc.suffix.starts_with('E'))
        {
            let e: i64 = sc.suffix[1..].parse().map_err(|_| QuantityError::Suffix {
                input: input.to_string(),
                suffix: sc.suffix.to_string(),
            })?;
            // Like apimachinery, exponents must fit an int32 scale that can be negated.
            if e.unsigned_abs() > u64::from(i32::MAX.unsigned_abs()) {
                return Err(QuantityError::Suffix {
                    input: input.to_string(),
                    suffix: sc.suffix.to_string(),
                });
            }
            (QuantityFormat::DecimalExponent, e as i32, 0)
        } else {
            return Err(QuantityError::Suffix {
                input: input.to_string(),
                suffix: sc.suffix.to_string(),
            });
        };

        // value = D × 2^bin_exp × 10^shift nanounits, D the digits of num and denom.
        let mut digits = String::with_capacity(sc.num.len().saturating_add(sc.denom.len()));
        digits.push_str(sc.num);
        digits.push_str(sc.denom);
        let d = digits_times_pow2(&digits, bin_exp);
        let shift: i64 = i64::from(dec_exp)
            .saturating_add(9)
            .saturating_sub(sc.denom.len() as i64);
        let out_of_range = || QuantityError::OutOfRange {
            input: input.to_string(),
        };
        // Split into the integer digits (at nano scale) and whether any dropped digit is non-zero.
        let (int_digits, dropped_nonzero): (&[u8], bool) = if shift >= 0 {
            (&d[..], false)
        } else {
            let cut = (d.len() as i64).saturating_add(shift);
            if cut <= 0 {
                (&[][..], d.iter().any(|&x| x != 0))
            } else {
                let cut = cut as usize;
                (&d[..cut], d[cut..].iter().any(|&x| x != 0))
            }
        };
        let mut nanos: i128 = 0;
        for &x in int_digits {
            nanos = nanos
                .checked_mul(10)
                .and_then(|n| n.checked_add(i128::from(x)))
                .ok_or_else(out_of_range)?;
        }
        if shift > 0 && nanos != 0 {
            let p = u32::try_from(shift).map_err(|_| out_of_range())?;
            let factor = 10i128.checked_pow(p).ok_or_else(out_of_range)?;
            nanos = nanos.checked_mul(factor).ok_or_else(out_of_range)?;
        }
        if dropped_nonzero {
            // Round up, away from zero, to the next nanounit.
            nanos = nanos.checked_add(1).ok_or_else(out_of_range)?;
        }
        if nanos >= 100_000_000_000_000_000_000_000_000_000_000_000_000 {
            return Err(out_of_range());
        }
        let mut format = format;
        if format == QuantityFormat::BinarySI {
            if nanos > INT64_MAX_NANOS {
                nanos = INT64_MAX_NANOS;
            }
            if nanos > 0 && nanos < NANOS_PER_UNIT {
                format = QuantityFormat::DecimalSI;
            }
        }
        if sc.negative {
            nanos = nanos.saturating_neg();
        }
        Ok(Quantity { nanos, format })
    }

    /// A whole number of units, in the given format.
    pub fn from_units(units: i64, format: QuantityFormat) -> Quantity {
        Quantity {
            nanos: i128::from(units) * NANOS_PER_UNIT,
            format,
        }
    }

    /// A number of thousandths (`millis = 500` is `500m`), in decimal SI.
    pub fn from_millis(millis: i64) -> Quantity {
        Quantity {
            nanos: i128::from(millis) * 1_000_000,
            format: QuantityFormat::DecimalSI,
        }
    }

    /// The format the quantity prints in.
    pub fn format(&self) -> QuantityFormat {
        self.format
    }

    /// The exact value in nanounits (10^-9).
    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    /// The value rounded up, away from zero, to a whole unit (apimachinery's `Value`).
    pub fn value(&self) -> i128 {
        Self::ceil_away(self.nanos, NANOS_PER_UNIT)
    }

    /// The value in thousandths, rounded up, away from zero (apimachinery's `MilliValue`).
    pub fn milli_value(&self) -> i128 {
        Self::ceil_away(self.nanos, 1_000_000)
    }

    /// An approximate `f64` (for display and ratios; never for decisions that must be exact).
    pub fn as_f64(&self) -> f64 {
        self.nanos as f64 / 1e9
    }

    fn ceil_away(n: i128, unit: i128) -> i128 {
        let q = n / unit;
        if n % unit == 0 {
            q
        } else if n > 0 {
            q + 1
        } else {
            q - 1
        }
    }

    /// Is the value zero?
    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    /// Sum, or `None` past the representable range. A zero left operand takes the right one's
    /// format, as apimachinery's `Add` does.
    pub fn checked_add(&self, rhs: &Quantity) -> Option<Quantity> {
        let format = if self.nanos == 0 {
            rhs.format
        } else {
            self.format
        };
        Some(Quantity {
            nanos: self.nanos.checked_add(rhs.nanos)?,
            format,
        })
    }

    /// Difference, or `None` past the representable range (format rule as in
    /// [`Quantity::checked_add`]).
    pub fn checked_sub(&self, rhs: &Quantity) -> Option<Quantity> {
        self.checked_sub_inner(rhs)
    }

    /// The sum, or [`QuantityError::Overflow`] past the representable range.
    pub fn try_add(&self, rhs: &Quantity) -> Result<Quantity, QuantityError> {
        self.checked_add(rhs)
            .ok_or_else(|| QuantityError::Overflow {
                op: "sum",
                sign: "+",
                left: self.to_string(),
                right: rhs.to_string(),
            })
    }

    /// The difference, or [`QuantityError::Overflow`] past the representable range.
    pub fn try_sub(&self, rhs: &Quantity) -> Result<Quantity, QuantityError> {
        self.checked_sub(rhs)
            .ok_or_else(|| QuantityError::Overflow {
                op: "difference",
                sign: "-",
                left: self.to_string(),
                right: rhs.to_string(),
            })
    }

    fn checked_sub_inner(&self, rhs: &Quantity) -> Option<Quantity> {
        let format = if self.nanos == 0 {
            rhs.format
        } else {
            self.format
        };
        Some(Quantity {
            nanos: self.nanos.checked_sub(rhs.nanos)?,
            format,
        })
    }

    /// Product with an integer, or `None` past the representable range.
    pub fn checked_mul(&self, factor: i64) -> Option<Quantity> {
        Some(Quantity {
            nanos: self.nanos.checked_mul(i128::from(factor))?,
            format: self.format,
        })
    }

    /// The negated value.
    pub fn neg(&self) -> Quantity {
        Quantity {
            nanos: self.nanos.saturating_neg(),
            format: self.format,
        }
    }

    /// The canonical text, as apimachinery's `CanonicalizeBytes` builds it.
    pub fn canonical(&self) -> String {
        if self.nanos == 0 {
            return "0".to_string();
        }
        let mut format = self.format;
        if format == QuantityFormat::BinarySI {
            let in_small_range =
                self.nanos > -1024 * NANOS_PER_UNIT && self.nanos < 1024 * NANOS_PER_UNIT;
            if in_small_range || self.nanos % NANOS_PER_UNIT != 0 {
                format = QuantityFormat::DecimalSI;
            }
        }
        if format == QuantityFormat::BinarySI {
            let mut v = self.nanos / NANOS_PER_UNIT;
            let mut k = 0usize;
            while v.abs() >= 1024 && v % 1024 == 0 {
                v /= 1024;
                k += 1;
            }
            if let Some(suffix) = BINARY_SUFFIXES.get(k) {
                return format!("{v}{suffix}");
            }
            // Past `Ei` there is no binary suffix: fall back to exact decimal exponent form.
            format = QuantityFormat::DecimalExponent;
        }
        let mut m = self.nanos;
        let mut e: i32 = -9;
        while m % 10 == 0 {
            m /= 10;
            e += 1;
        }
        match e.rem_euclid(3) {
            1 => {
                m *= 10;
                e -= 1;
            }
            2 => {
                m *= 100;
                e -= 2;
            }
            _ => {}
        }
        let idx = (e + 9) / 3;
        match (
            format,
            usize::try_from(idx)
                .ok()
                .and_then(|i| DECIMAL_SUFFIXES.get(i)),
        ) {
            (QuantityFormat::DecimalSI, Some(suffix)) => format!("{m}{suffix}"),
            // Exponent form, also for decimal-SI values beyond `E` (as apimachinery does).
            _ if e == 0 => m.to_string(),
            _ => format!("{m}e{e}"),
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

impl std::ops::Add for Quantity {
    type Output = Quantity;
    /// Saturating sum (use [`Quantity::checked_add`] to detect overflow).
    fn add(self, rhs: Quantity) -> Quantity {
        self.checked_add(&rhs).unwrap_or(Quantity {
            nanos: if rhs.nanos > 0 { i128::MAX } else { i128::MIN },
            format: self.format,
        })
    }
}

impl std::ops::Sub for Quantity {
    type Output = Quantity;
    /// Saturating difference (use [`Quantity::checked_sub`] to detect overflow).
    fn sub(self, rhs: Quantity) -> Quantity {
        self.checked_sub(&rhs).unwrap_or(Quantity {
            nanos: if rhs.nanos < 0 { i128::MAX } else { i128::MIN },
            format: self.format,
        })
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.canonical())
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Quantity;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a quantity string like `500m` or `512Mi`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Quantity, E> {
                Quantity::parse(v.trim()).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Quantity, E> {
                Ok(Quantity::from_units(v, QuantityFormat::DecimalSI))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Quantity, E> {
                Quantity::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Quantity, E> {
                if !v.is_finite() {
                    return Err(E::custom(format!(
                        "invalid quantity `{v}`: expected a finite number"
                    )));
                }
                Quantity::parse(&v.to_string()).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

impl crate::error::Coded for QuantityError {
    fn code(&self) -> &'static str {
        QuantityError::code(self)
    }
    fn kind(&self) -> crate::error::ErrorKind {
        match self {
            QuantityError::Overflow { .. } => crate::error::ErrorKind::Overflow,
            _ => crate::error::ErrorKind::Parse,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> String {
        Quantity::parse(s).unwrap().to_string()
    }

    #[test]
    fn canonical_examples_from_the_issue() {
        assert_eq!(c("1024Mi"), "1Gi");
        assert_eq!(c("5000m"), "5");
        assert_eq!(c("0.5"), "500m");
        assert_eq!(c("1.5Gi"), "1536Mi");
    }

    #[test]
    fn rounding_and_saturation() {
        assert_eq!(c("0.1n"), "1n");
        assert_eq!(c("-0.1n"), "-1n");
        assert_eq!(c("8Ei"), "9223372036854775807");
        assert_eq!(c("1000E"), "1e21");
    }

    #[test]
    fn rejects() {
        assert_eq!(Quantity::parse("").unwrap_err().code(), "invalid_quantity");
        assert_eq!(
            Quantity::parse("1.5.5").unwrap_err().code(),
            "invalid_quantity"
        );
        assert_eq!(
            Quantity::parse("5Zi").unwrap_err().code(),
            "invalid_quantity"
        );
        assert_eq!(
            Quantity::parse("5ki").unwrap_err().code(),
            "invalid_quantity_suffix"
        );
        assert_eq!(
            Quantity::parse("1e40").unwrap_err().code(),
            "quantity_out_of_range"
        );
    }
}
