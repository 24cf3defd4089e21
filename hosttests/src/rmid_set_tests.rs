// SPDX-License-Identifier: GPL-2.0

//! RMID sets against a model.

use crate::ids::MAX_RMIDS;
use crate::rmid_set::RmidSet;
use proptest::prelude::*;
use std::collections::BTreeSet;

proptest! {
    #[test]
    fn behaves_like_a_set(ops in prop::collection::vec((any::<bool>(), 0u32..MAX_RMIDS + 8), 0..300)) {
        let s = RmidSet::new();
        let mut model = BTreeSet::new();
        for (add, r) in ops {
            if add {
                prop_assert_eq!(s.insert(r), r < MAX_RMIDS && model.insert(r));
            } else {
                prop_assert_eq!(s.remove(r), model.remove(&r));
            }
            prop_assert_eq!(s.len() as usize, model.len());
        }
        prop_assert_eq!(s.iter().collect::<Vec<_>>(), model.iter().copied().collect::<Vec<_>>());
        for r in 0..MAX_RMIDS {
            prop_assert_eq!(s.contains(r), model.contains(&r));
        }
        s.clear();
        prop_assert!(s.is_empty());
    }
}
