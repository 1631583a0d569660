//! `assemble anslag`: the anslagsbevis of a justerat nämnd protocol (KL 8 kap. 12 §).

pub mod dates;
