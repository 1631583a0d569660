//! `--shard K/N`: a deterministic share of the archive for one of N machines.
//!
//! A meeting belongs to shard `hash(path) mod N`, where the path is the meeting's place in the
//! archive (its path below `data/`, `/`-separated). It depends on nothing but that path,
//! so adding meetings never moves existing ones between shards, and every runner of a CI
//! matrix, Kubernetes Indexed Job or Slurm array computes the same split with no coordinator.

use std::path::Path;
use std::str::FromStr;

use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u32,
    pub count: u32,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (k, n) = s
            .split_once('/')
            .ok_or("write the shard as K/N, e.g. 2/4")?;
        let index: u32 = k
            .trim()
            .parse()
            .map_err(|_| format!("`{k}` is not a number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("`{n}` is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard {index}/{count}: K must be from 1 to N"));
        }
        Ok(Self { index, count })
    }
}

impl Shard {
    /// Whether this shard renders `meeting`.
    pub(crate) fn owns(&self, meeting: &Path) -> bool {
        let normal = meeting.to_string_lossy().replace('\\', "/");
        let normal = normal.trim_start_matches("./");
        let digest = Sha256::digest(normal.as_bytes());
        let value = u64::from_le_bytes(digest[..8].try_into().expect("8 bytes"));
        value % u64::from(self.count) == u64::from(self.index - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        assert!("0/4".parse::<Shard>().is_err());
        assert!("5/4".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }

    #[test]
    fn shards_partition_the_meetings_and_are_stable() {
        let paths: Vec<String> = (0..500).map(|i| format!("data/fvg/{i:04}.toml")).collect();
        let shards: Vec<Shard> = (1..=4).map(|k| Shard { index: k, count: 4 }).collect();
        let mut counts = [0; 4];
        for p in &paths {
            let owners: Vec<usize> = (0..4).filter(|&i| shards[i].owns(Path::new(p))).collect();
            assert_eq!(owners.len(), 1, "{p} has exactly one shard");
            counts[owners[0]] += 1;
            // Same answer for the same path written with ./
            assert!(shards[owners[0]].owns(Path::new(&format!("./{p}"))));
        }
        assert!(counts.iter().all(|&c| c > 80), "roughly even: {counts:?}");
    }
}
