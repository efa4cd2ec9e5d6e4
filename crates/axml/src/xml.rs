//! The document model shared by the binary-XML and protobuf-XML readers.

/// One XML element with its attributes, child elements and text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct XmlElement {
    /// Namespace URI of the element name, empty when none.
    pub namespace: String,
    /// Local name (`activity`, `uses-permission`).
    pub name: String,
    pub attributes: Vec<XmlAttr>,
    pub children: Vec<XmlElement>,
    /// Character data directly inside the element, concatenated (`<domain>example.com</domain>`),
    /// or None when there is none. Whitespace-only text between elements is not kept.
    pub text: Option<String>,
    /// Line number recorded by the compiler, when present (evidence).
    pub line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct XmlAttr {
    /// Namespace URI (`http://schemas.android.com/apk/res/android`), empty when none.
    pub namespace: String,
    /// Local name. Obfuscated packages may strip or falsify names; prefer `resource_id`.
    pub name: String,
    /// Framework attribute resource id (`0x01010003` for `android:name`), when the compiler
    /// recorded one. Android itself identifies attributes by this id.
    pub resource_id: Option<u32>,
    pub value: AttrValue,
}

/// A typed attribute value as stored (before resource resolution).
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    String(String),
    Bool(bool),
    /// Decimal or hex integer (also enums and flags).
    Int(i64),
    Float(f32),
    /// `@0x7f010001` — a resource reference.
    Reference(u32),
    /// `?0x7f010001` — a theme attribute reference.
    Attribute(u32),
    /// Anything else: the raw type and data words, rendered for display.
    Other(String),
}

impl AttrValue {
    /// Display form, as `aapt dump xmltree` would show the value's essence.
    pub fn display(&self) -> String {
        match self {
            AttrValue::String(s) | AttrValue::Other(s) => s.clone(),
            AttrValue::Bool(b) => b.to_string(),
            AttrValue::Int(i) => i.to_string(),
            AttrValue::Float(f) => f.to_string(),
            AttrValue::Reference(r) => format!("@0x{r:08x}"),
            AttrValue::Attribute(r) => format!("?0x{r:08x}"),
        }
    }
}

impl XmlElement {
    /// The attribute with the given framework resource id, falling back to the given name in the
    /// android namespace (or no namespace) when no attribute carries the id.
    pub fn attr(&self, resource_id: u32, name: &str) -> Option<&AttrValue> {
        self.attributes
            .iter()
            .find(|a| a.resource_id == Some(resource_id))
            .or_else(|| {
                self.attributes.iter().find(|a| {
                    a.resource_id.is_none()
                        && a.name == name
                        && (a.namespace.is_empty() || a.namespace == ANDROID_NS)
                })
            })
            .map(|a| &a.value)
    }

    /// A plain (non-android-namespace) attribute by name, e.g. `package` on `<manifest>`.
    pub fn plain_attr(&self, name: &str) -> Option<&AttrValue> {
        self.attributes
            .iter()
            .find(|a| a.namespace.is_empty() && a.name == name)
            .map(|a| &a.value)
    }

    /// Child elements, each with its index among same-named siblings (`activity[2]` is the
    /// third `<activity>`): the indices evidence locations use.
    pub fn indexed_children(&self) -> Vec<(usize, &XmlElement)> {
        let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        self.children
            .iter()
            .map(|c| {
                let n = counts.entry(c.name.as_str()).or_insert(0);
                let i = *n;
                *n += 1;
                (i, c)
            })
            .collect()
    }

    /// Child elements with the given name.
    pub fn children_named<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = &'s XmlElement> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// The Android namespace URI.
pub const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

/// A resource value from a resource table, for one configuration.
#[derive(Debug, Clone, PartialEq)]
pub enum ResValue {
    String(String),
    /// A file resource: the path of the file inside the package (`res/xml/nsc.xml`).
    File(String),
    Bool(bool),
    Int(i64),
    /// Another resource (resolution follows these up to a small depth).
    Reference(u32),
    Other(String),
}

/// A resource table (resources.arsc or resources.pb) as the manifest reader needs it.
pub trait Resources {
    /// Every value the table holds for `id`, one per configuration, as
    /// `(locale, value)` where locale is `""` for the default configuration and a BCP-47-like
    /// tag otherwise (`zh-CN`, `zh`, `en-US`, `b+sr+Latn` rendered as `sr-Latn`). Values of
    /// configurations that differ in something other than locale (density, night mode, ...)
    /// are included with the locale they have. References are returned unresolved.
    fn values(&self, id: u32) -> Vec<(String, ResValue)>;

    /// The value for the default configuration (locale ""), or the first one, following
    /// references up to 8 levels.
    fn resolve(&self, id: u32) -> Option<ResValue> {
        let mut id = id;
        for _ in 0..8 {
            let vals = self.values(id);
            let v = vals
                .iter()
                .find(|(l, _)| l.is_empty())
                .or_else(|| vals.first())
                .map(|(_, v)| v.clone())?;
            match v {
                ResValue::Reference(next) => id = next,
                other => return Some(other),
            }
        }
        None
    }
}

/// A package without a resource table: every lookup fails.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoResources;

impl Resources for NoResources {
    fn values(&self, _id: u32) -> Vec<(String, ResValue)> {
        Vec::new()
    }
}
