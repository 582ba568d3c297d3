//! [`Q`]: an exact rational that computes in machine integers while its numbers fit, and in
//! arbitrary precision when they do not.
//!
//! Capacity and cost arithmetic on profile decimals stays far inside 128 bits (a price such as
//! `0.00013` is 13/100000), so nearly every operation is a fixed-size `Ratio<i128>` operation
//! with overflow checks; an operation that would overflow is redone in `BigRational`, and a
//! result that fits again comes back to the small form. Values are the same either way, so
//! results never depend on the path; `tests` compares the two on random operands.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub};

use num_bigint::BigInt;
use num_rational::{BigRational, Ratio};
use num_traits::{CheckedAdd, CheckedDiv, CheckedMul, CheckedSub, Signed, ToPrimitive, Zero};

/// Numerators and denominators of the small form stay below 2¹²⁶, so that no sign change
/// or reduction inside `Ratio<i128>` can overflow.
const LIMIT: u128 = 1 << 126;

/// An exact rational number.
#[derive(Clone)]
pub struct Q(Repr);

#[derive(Clone)]
enum Repr {
    Small(Ratio<i128>),
    Big(BigRational),
}

fn fits(r: &Ratio<i128>) -> bool {
    r.numer().unsigned_abs() < LIMIT && r.denom().unsigned_abs() < LIMIT
}

impl Default for Q {
    /// Zero.
    fn default() -> Q {
        Q(Repr::Small(Ratio::from_integer(0)))
    }
}

impl Q {
    /// `numer / denom`, reduced. Panics when `denom` is zero, as `BigRational` does.
    pub fn new(numer: BigInt, denom: BigInt) -> Q {
        Q::from_big(BigRational::new(numer, denom))
    }

    /// A whole number.
    pub fn from_integer(n: BigInt) -> Q {
        match n.to_i128() {
            Some(v) if v.unsigned_abs() < LIMIT => Q(Repr::Small(Ratio::from_integer(v))),
            _ => Q(Repr::Big(BigRational::from_integer(n))),
        }
    }

    fn from_big(r: BigRational) -> Q {
        match (r.numer().to_i128(), r.denom().to_i128()) {
            (Some(n), Some(d)) if n.unsigned_abs() < LIMIT && d.unsigned_abs() < LIMIT => {
                // already reduced: no second gcd
                Q(Repr::Small(Ratio::new_raw(n, d)))
            }
            _ => Q(Repr::Big(r)),
        }
    }

    fn small(r: Ratio<i128>) -> Option<Q> {
        fits(&r).then_some(Q(Repr::Small(r)))
    }

    /// The value as a `BigRational`.
    pub fn to_big(&self) -> BigRational {
        match &self.0 {
            Repr::Small(r) => {
                BigRational::new_raw(BigInt::from(*r.numer()), BigInt::from(*r.denom()))
            }
            Repr::Big(r) => r.clone(),
        }
    }

    /// The smallest whole number ≥ self.
    pub fn ceil(&self) -> Q {
        match &self.0 {
            Repr::Small(r) => Q(Repr::Small(r.ceil())),
            Repr::Big(r) => Q::from_big(r.ceil()),
        }
    }

    /// The nearest whole number, halves away from zero.
    pub fn round(&self) -> Q {
        match &self.0 {
            Repr::Small(r) => Q(Repr::Small(r.round())),
            Repr::Big(r) => Q::from_big(r.round()),
        }
    }

    /// Whether a whole number.
    pub fn is_integer(&self) -> bool {
        match &self.0 {
            Repr::Small(r) => r.is_integer(),
            Repr::Big(r) => r.is_integer(),
        }
    }

    /// The whole part, rounded toward zero.
    pub fn to_integer(&self) -> BigInt {
        match &self.0 {
            Repr::Small(r) => BigInt::from(r.to_integer()),
            Repr::Big(r) => r.to_integer(),
        }
    }

    /// Whether below zero.
    pub fn is_negative(&self) -> bool {
        match &self.0 {
            Repr::Small(r) => r.is_negative(),
            Repr::Big(r) => r.is_negative(),
        }
    }

    /// The nearest `f64` (for display only).
    pub fn to_f64(&self) -> Option<f64> {
        match &self.0 {
            Repr::Small(r) => r.to_f64(),
            Repr::Big(r) => r.to_f64(),
        }
    }

    fn binary(
        &self,
        other: &Q,
        small: fn(&Ratio<i128>, &Ratio<i128>) -> Option<Ratio<i128>>,
        big: fn(BigRational, BigRational) -> BigRational,
    ) -> Q {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &other.0)
            && let Some(q) = small(a, b).and_then(Q::small)
        {
            return q;
        }
        Q::from_big(big(self.to_big(), other.to_big()))
    }
}

impl PartialEq for Q {
    fn eq(&self, other: &Q) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Q {}

impl PartialOrd for Q {
    fn partial_cmp(&self, other: &Q) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Q {
    fn cmp(&self, other: &Q) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Small(a), Repr::Small(b)) => a.cmp(b),
            _ => self.to_big().cmp(&other.to_big()),
        }
    }
}

/// `n` or `n/d`, as `BigRational` writes it.
impl fmt::Display for Q {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Small(r) => write!(f, "{r}"),
            Repr::Big(r) => write!(f, "{r}"),
        }
    }
}

impl fmt::Debug for Q {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Neg for Q {
    type Output = Q;
    fn neg(self) -> Q {
        match self.0 {
            // |numer| < 2¹²⁶: negation cannot overflow
            Repr::Small(r) => Q(Repr::Small(-r)),
            Repr::Big(r) => Q(Repr::Big(-r)),
        }
    }
}

macro_rules! binary_op {
    ($trait:ident, $method:ident, $checked:ident) => {
        impl $trait<&Q> for &Q {
            type Output = Q;
            fn $method(self, other: &Q) -> Q {
                self.binary(other, |a, b| a.$checked(b), |a, b| a.$method(b))
            }
        }
        impl $trait<Q> for &Q {
            type Output = Q;
            fn $method(self, other: Q) -> Q {
                self.$method(&other)
            }
        }
        impl $trait<&Q> for Q {
            type Output = Q;
            fn $method(self, other: &Q) -> Q {
                (&self).$method(other)
            }
        }
        impl $trait<Q> for Q {
            type Output = Q;
            fn $method(self, other: Q) -> Q {
                (&self).$method(&other)
            }
        }
    };
}

binary_op!(Add, add, checked_add);
binary_op!(Sub, sub, checked_sub);
binary_op!(Mul, mul, checked_mul);
binary_op!(Div, div, checked_div);

impl AddAssign<Q> for Q {
    fn add_assign(&mut self, other: Q) {
        *self = &*self + &other;
    }
}

impl AddAssign<&Q> for Q {
    fn add_assign(&mut self, other: &Q) {
        *self = &*self + other;
    }
}

impl std::iter::Sum for Q {
    fn sum<I: Iterator<Item = Q>>(iter: I) -> Q {
        iter.fold(Q::from_integer(BigInt::zero()), |a, b| a + b)
    }
}

impl<'a> std::iter::Sum<&'a Q> for Q {
    fn sum<I: Iterator<Item = &'a Q>>(iter: I) -> Q {
        iter.fold(Q::from_integer(BigInt::zero()), |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn big(n: i128, d: i128) -> BigRational {
        BigRational::new(BigInt::from(n), BigInt::from(d))
    }

    fn operand() -> impl Strategy<Value = (i128, i128)> {
        prop_oneof![
            (-1000i128..1000, 1i128..1000),
            (any::<i64>().prop_map(i128::from), 1i128..1_000_000_000_000),
            (
                any::<i128>(),
                any::<i128>().prop_filter("non-zero", |d| *d != 0)
            ),
        ]
    }

    proptest! {
        /// Every operation gives the value BigRational gives, whichever form it took.
        #[test]
        fn agrees_with_bigrational((an, ad) in operand(), (bn, bd) in operand()) {
            let (a, b) = (Q::new(an.into(), ad.into()), Q::new(bn.into(), bd.into()));
            let (x, y) = (big(an, ad), big(bn, bd));
            prop_assert_eq!((&a + &b).to_big(), &x + &y);
            prop_assert_eq!((&a - &b).to_big(), &x - &y);
            prop_assert_eq!((&a * &b).to_big(), &x * &y);
            if !y.is_zero() {
                prop_assert_eq!((&a / &b).to_big(), &x / &y);
            }
            prop_assert_eq!(a.cmp(&b), x.cmp(&y));
            prop_assert_eq!(a.ceil().to_big(), x.ceil());
            prop_assert_eq!(a.round().to_big(), x.round());
            prop_assert_eq!(a.to_integer(), x.to_integer());
            prop_assert_eq!(a.is_integer(), x.is_integer());
            prop_assert_eq!((-a.clone()).to_big(), -x.clone());
        }
    }

    #[test]
    fn overflow_moves_to_the_big_form_and_back() {
        let huge = Q::from_integer(BigInt::from(1u128 << 125));
        let square = &huge * &huge;
        assert!(matches!(square.0, Repr::Big(_)));
        let back = &square / &huge;
        assert!(matches!(back.0, Repr::Small(_)));
        assert_eq!(back, huge);
    }
}
