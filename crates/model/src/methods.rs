//! [`MethodRefs`]: the method references of a code unit, stored compactly.
//!
//! A 100k-class app has hundreds of thousands of method references; stored as one struct of
//! shared strings each (class, name, proto, callers) they took 72 bytes and an allocation for
//! the callers. Here each is six `u32`s (24 bytes): indices into one table of the unit's
//! distinct names, the DEX index, and a range of one flat callers list. Readers get
//! [`MethodRef`] views; JSON is unchanged (a list of `{class, name, proto, index, callers}`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::sync::Arc;

/// One method reference, borrowed from its [`MethodRefs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct MethodRef<'a> {
    /// Dotted class name (`android.hardware.biometrics.BiometricPrompt`); arrays keep their
    /// descriptor (`[I`).
    pub class: &'a str,
    pub name: &'a str,
    /// Descriptor form: `(Ljava/lang/String;I)V`.
    pub proto: &'a str,
    /// Index in the DEX `method_ids` table.
    pub index: u32,
    /// Classes of this code unit whose code invokes the method, as class table indices (the
    /// `index` of an entry of `classes_defined`), found by a linear scan of invoke
    /// instructions. Attribution: which SDK (or the app's own code) calls a sensitive API.
    #[serde(skip_serializing_if = "<[u32]>::is_empty")]
    pub callers: &'a [u32],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    class: u32,
    name: u32,
    proto: u32,
    index: u32,
    callers_at: u32,
    callers_len: u32,
}

/// The method references of a code unit (DEX `method_ids`), in table order.
///
/// Producers add each distinct string once with [`MethodRefs::add_name`] and refer to it by the
/// returned number in [`MethodRefs::push`]; [`MethodRefs::from_refs`] does both from views.
#[derive(Clone, Default)]
pub struct MethodRefs {
    names: Vec<Arc<str>>,
    slots: Vec<Slot>,
    callers: Vec<u32>,
}

impl MethodRefs {
    /// Room for `methods` references (a producer that knows its table size sizes once: growth
    /// by doubling would hold up to twice that).
    pub fn with_capacity(methods: usize) -> MethodRefs {
        MethodRefs {
            slots: Vec::with_capacity(methods),
            ..MethodRefs::default()
        }
    }

    /// Add a string to the unit's name table; its number is what [`MethodRefs::push`] takes.
    /// Not deduplicated here: the producer knows which strings it has added.
    pub fn add_name(&mut self, name: Arc<str>) -> u32 {
        let at = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name);
        at
    }

    /// Add a reference whose class, name and proto are numbers from [`MethodRefs::add_name`]
    /// (a number not given out reads as the empty string).
    pub fn push(&mut self, class: u32, name: u32, proto: u32, index: u32, callers: &[u32]) {
        let callers_at = u32::try_from(self.callers.len()).unwrap_or(u32::MAX);
        self.callers.extend_from_slice(callers);
        self.slots.push(Slot {
            class,
            name,
            proto,
            index,
            callers_at,
            callers_len: u32::try_from(callers.len()).unwrap_or(0),
        });
    }

    /// Build from views, sharing equal strings.
    pub fn from_refs<'a>(refs: impl IntoIterator<Item = MethodRef<'a>>) -> MethodRefs {
        let mut out = MethodRefs::default();
        let mut seen: HashMap<&'a str, u32> = HashMap::new();
        let mut number = |out: &mut MethodRefs, s: &'a str| -> u32 {
            *seen.entry(s).or_insert_with(|| out.add_name(Arc::from(s)))
        };
        for m in refs {
            let class = number(&mut out, m.class);
            let name = number(&mut out, m.name);
            let proto = number(&mut out, m.proto);
            out.push(class, name, proto, m.index, m.callers);
        }
        out
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The `i`th reference (table order).
    pub fn get(&self, i: usize) -> Option<MethodRef<'_>> {
        self.slots.get(i).map(|s| self.view(s))
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = MethodRef<'_>> + '_ {
        self.slots.iter().map(|s| self.view(s))
    }

    fn name(&self, n: u32) -> &str {
        self.names.get(n as usize).map_or("", |s| s)
    }

    fn view(&self, s: &Slot) -> MethodRef<'_> {
        let at = s.callers_at as usize;
        MethodRef {
            class: self.name(s.class),
            name: self.name(s.name),
            proto: self.name(s.proto),
            index: s.index,
            callers: self
                .callers
                .get(at..at.saturating_add(s.callers_len as usize))
                .unwrap_or(&[]),
        }
    }
}

impl<'a> IntoIterator for &'a MethodRefs {
    type Item = MethodRef<'a>;
    type IntoIter = Box<dyn ExactSizeIterator<Item = MethodRef<'a>> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// Equal when the references read the same (however the name tables were built).
impl PartialEq for MethodRefs {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for MethodRefs {}

impl std::fmt::Debug for MethodRefs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for MethodRefs {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// The JSON form of one reference, for reading documents back.
#[derive(Deserialize)]
struct OwnedMethodRef {
    class: String,
    name: String,
    proto: String,
    index: u32,
    #[serde(default)]
    callers: Vec<u32>,
}

impl<'de> Deserialize<'de> for MethodRefs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let list = Vec::<OwnedMethodRef>::deserialize(deserializer)?;
        Ok(MethodRefs::from_refs(list.iter().map(|m| MethodRef {
            class: &m.class,
            name: &m.name,
            proto: &m.proto,
            index: m.index,
            callers: &m.callers,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<(String, String, String, u32, Vec<u32>)> {
        vec![
            ("a.B".into(), "<init>".into(), "()V".into(), 0, vec![]),
            ("a.B".into(), "run".into(), "(I)V".into(), 1, vec![0, 3]),
            (
                "[I".into(),
                "clone".into(),
                "()Ljava/lang/Object;".into(),
                2,
                vec![],
            ),
            ("c.D".into(), "<init>".into(), "()V".into(), 7, vec![1]),
        ]
    }

    fn views(v: &[(String, String, String, u32, Vec<u32>)]) -> Vec<MethodRef<'_>> {
        v.iter()
            .map(|(c, n, p, i, k)| MethodRef {
                class: c,
                name: n,
                proto: p,
                index: *i,
                callers: k,
            })
            .collect()
    }

    #[test]
    fn views_read_back_what_was_added_and_equal_strings_are_stored_once() {
        let data = sample();
        let refs = MethodRefs::from_refs(views(&data));
        assert_eq!(refs.len(), 4);
        assert_eq!(refs.iter().collect::<Vec<_>>(), views(&data));
        assert_eq!(refs.get(1).map(|m| m.callers), Some(&[0u32, 3][..]));
        assert_eq!(refs.get(4), None);
        // a.B, <init>, ()V, run, (I)V, [I, clone, ()Ljava/lang/Object;, c.D
        assert_eq!(refs.names.len(), 9);
    }

    #[test]
    fn json_is_a_list_of_references_and_reads_back_equal() {
        let data = sample();
        let refs = MethodRefs::from_refs(views(&data));
        let json = serde_json::to_string(&refs).unwrap();
        assert!(json.starts_with(
            r#"[{"class":"a.B","name":"<init>","proto":"()V","index":0},{"class":"a.B","name":"run","proto":"(I)V","index":1,"callers":[0,3]}"#
        ));
        let back: MethodRefs = serde_json::from_str(&json).unwrap();
        assert_eq!(back, refs);
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }

    #[test]
    fn producer_numbers_out_of_range_read_as_empty_strings() {
        let mut refs = MethodRefs::with_capacity(1);
        let c = refs.add_name(Arc::from("x.Y"));
        refs.push(c, 99, c, 5, &[2]);
        let m = refs.get(0).unwrap();
        assert_eq!(
            (m.class, m.name, m.proto, m.index, m.callers),
            ("x.Y", "", "x.Y", 5, &[2u32][..])
        );
    }

    #[test]
    fn equality_ignores_how_the_name_table_was_built() {
        let data = sample();
        let shared = MethodRefs::from_refs(views(&data));
        let mut separate = MethodRefs::default();
        for m in views(&data) {
            let c = separate.add_name(Arc::from(m.class));
            let n = separate.add_name(Arc::from(m.name));
            let p = separate.add_name(Arc::from(m.proto));
            separate.push(c, n, p, m.index, m.callers);
        }
        assert_eq!(shared, separate);
        separate.push(0, 0, 0, 9, &[]);
        assert_ne!(shared, separate);
    }
}
