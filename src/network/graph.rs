//! The network as a graph: which treatments are compared directly, in how many studies, and
//! how much evidence each treatment has (for the network graph).

use std::collections::BTreeMap;

use super::Network;

/// A pair of treatments compared directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectPair {
    /// The first treatment (the smaller index).
    pub a: usize,
    /// The second treatment.
    pub b: usize,
    /// Studies comparing them (a multi-arm study counts for each pair of its arms).
    pub n_studies: usize,
}

impl Network {
    /// Every pair of treatments some study compares, ordered by `a`, then `b`.
    pub fn direct_pairs(&self) -> Vec<DirectPair> {
        let mut pairs: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for arms in &self.arms {
            for (i, &a) in arms.iter().enumerate() {
                for &b in &arms[i + 1..] {
                    *pairs.entry((a.min(b), a.max(b))).or_default() += 1;
                }
            }
        }
        pairs
            .into_iter()
            .map(|((a, b), n_studies)| DirectPair { a, b, n_studies })
            .collect()
    }

    /// The number of studies with an arm of each treatment.
    pub fn studies_per_treatment(&self) -> Vec<usize> {
        let mut n = vec![0; self.treatments.len()];
        for arms in &self.arms {
            for &a in arms {
                n[a] += 1;
            }
        }
        n
    }

    /// The number of studies with more than two arms.
    pub fn n_multi_arm(&self) -> usize {
        self.arms.iter().filter(|a| a.len() > 2).count()
    }

    /// The index of the treatment named `name`.
    pub fn treatment_index(&self, name: &str) -> Option<usize> {
        self.treatments.iter().position(|t| t == name)
    }
}

impl Network {
    /// The index of the reference treatment `name`; the first treatment (in alphabetical
    /// order) when no name is given.
    pub fn reference_index(&self, name: Option<&str>) -> Result<usize, super::NetworkError> {
        let Some(name) = name else { return Ok(0) };
        self.treatment_index(name)
            .ok_or_else(|| super::NetworkError::UnknownReference {
                reference: name.to_string(),
                treatments: self.treatments.join(", "),
            })
    }
}
