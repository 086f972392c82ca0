//! `#[guarded]`: the Python binding's panic guard, written once. Put it above a `#[pymethods]`
//! block or a `#[pyfunction]`; every function body it covers runs inside
//! `crate::error::guard`, which turns a Rust panic into `cnarch.CnarchError` (code
//! `internal_error`) instead of pyo3's `PanicException`. The functions must return
//! `PyResult<T>`.

use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, Block, ImplItem, Item};

fn wrap(block: &Block) -> Block {
    syn::parse_quote!({
        crate::error::guard(::std::panic::AssertUnwindSafe(|| #block))
    })
}

/// Wraps every method of an `impl` block, or one function, in the panic guard.
#[proc_macro_attribute]
pub fn guarded(_attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut item = parse_macro_input!(item as Item);
    match &mut item {
        Item::Impl(imp) => {
            for it in imp.items.iter_mut() {
                if let ImplItem::Fn(f) = it {
                    f.block = wrap(&f.block);
                }
            }
        }
        Item::Fn(f) => {
            *f.block = wrap(&f.block);
        }
        other => {
            return syn::Error::new_spanned(
                other,
                "#[guarded] goes on an impl block or a function",
            )
            .to_compile_error()
            .into();
        }
    }
    quote!(#item).into()
}
