//! The claim the parse-back check rests on (`capform::render::shape`): two pieces of HCL with the
//! same shape get the same verdict from the parser. Checked on many generated pairs of blocks
//! that differ in the places a shape abstracts (string text, numbers, traversal names, keys,
//! labels, comments), with fillers drawn from the characters that matter to HCL's lexer.

use capform::render::shape::shape;

/// Blocks with holes; `{}` is filled from the alphabet below.
const TEMPLATES: &[&str] = &[
    "resource \"{}\" \"{}\" {\n  a = \"{}\"\n  b = {}\n  c = x.{}.y\n  # {}\n}\n",
    "t = { \"{}\" = 1, \"{}\" = \"{}\" }\n",
    "a = \"${x.{}}-{}\"\nb = [\"{}\", {}]\n",
    "b {\n  {} = 1\n  {} = \"{}\"\n}\n",
    "m = [[\"{}\", x.{}.name, { id = \"{}\", {} = false }]]\n",
    "o = {\n  {} = \"{}\"\n  \"{}\" = {}\n}\n",
    "d = jsonencode({ w = [{ t = \"{}\", p = { m = [[\"{}\", {}, \"{}\"]] } }] })\n",
];

/// Characters that matter to HCL's lexer, and plain ones.
const ALPHABET: &[&str] = &[
    "a", "Z", "_", "0", "7", " ", "\t", "$", "%", "{", "}", "\\", "\"", "n", "u", "U", ".", "=",
    ":", ",", "-", "#", "é", "\n", "\\n", "\\\"", "\\\\", "$${", "%%{", "${", "%{", "\\u00e9",
    "\\ud800", "x", "y", "[", "(", "~", "<<", "*", "/",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn filler(rng: &mut Rng) -> String {
    let len = rng.below(4);
    (0..len)
        .map(|_| {
            // half the time a plain character, so that many pairs share a shape
            if rng.below(2) == 0 {
                ["a", "b", "7", "Q", "_"][rng.below(5)]
            } else {
                ALPHABET[rng.below(ALPHABET.len())]
            }
        })
        .collect()
}

fn fill(template: &str, rng: &mut Rng) -> String {
    let mut out = String::new();
    let mut parts = template.split("{}").peekable();
    while let Some(part) = parts.next() {
        out.push_str(part);
        if parts.peek().is_some() {
            out.push_str(&filler(rng));
        }
    }
    out
}

fn parses(text: &str) -> bool {
    hcl::edit::parser::parse_body(text).is_ok()
}

#[test]
fn same_shape_same_verdict() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // shape → the first text seen with it, and the parser's verdict on that text
    let mut seen: std::collections::HashMap<Vec<u8>, (String, bool)> = Default::default();
    let (mut same, mut same_valid, mut same_invalid) = (0, 0, 0);
    for _ in 0..60_000 {
        let template = TEMPLATES[rng.below(TEMPLATES.len())];
        let text = fill(template, &mut rng);
        let Some(shape) = shape(&text) else {
            continue;
        };
        let verdict = parses(&text);
        match seen.get(&shape) {
            None => {
                seen.insert(shape, (text, verdict));
            }
            Some((first, first_verdict)) => {
                assert_eq!(
                    verdict, *first_verdict,
                    "same shape, different verdicts:\n{first:?} parses: {first_verdict}\n{text:?} parses: {verdict}"
                );
                same += 1;
                if verdict {
                    same_valid += 1;
                } else {
                    same_invalid += 1;
                }
            }
        }
    }
    // the test only means something if it compared many pairs, valid and invalid
    assert!(same > 5_000, "only {same} texts shared a shape");
    assert!(
        same_valid > 1_000 && same_invalid > 1_000,
        "{same_valid} valid, {same_invalid} invalid"
    );
}

#[test]
fn rendered_modules_share_few_shapes() {
    // The check parses each shape once: a 200-table module has a few dozen shapes, not
    // thousands, and still parses back.
    let mut text = String::from(
        "name: shapes\nenvironment: production\nregion: us-east-1\ncustomers: 1000\ntables:\n",
    );
    for i in 0..200 {
        text.push_str(&format!(
            "  t{i}:\n    hash_key: {{ name: id, type: S }}\n    billing: provisioned\n    workload: {{ reads_per_second: 0.0{}, writes_per_second: 0.01, item_size_kb: 2 }}\n    indexes:\n      by_a: {{ hash_key: {{ name: a, type: S }}, read_share: 0.2 }}\n",
            i % 9 + 1
        ));
    }
    let loaded = capform::profile::load_str("shapes.yaml", &text).unwrap();
    let plan = capform::plan::resolve(&loaded.profile, "shapes.yaml", 1000, Default::default());
    let files = capform::render::render(&plan).unwrap();
    let checker = capform::render::shape::Checker::new();
    let mut blocks = 0;
    for (name, text) in &files {
        if !name.ends_with(".tf") {
            continue;
        }
        // what the shape check accepted, the parser accepts whole
        assert!(
            hcl::edit::parser::parse_body(text).is_ok(),
            "{name} does not parse in full"
        );
        // top-level blocks end with a `}` at column 0
        for block in text.split_inclusive("\n}\n") {
            blocks += 1;
            checker.check(block).unwrap();
        }
    }
    assert!(blocks > 3_000, "{blocks} blocks");
    assert!(checker.shapes() < 100, "{} shapes", checker.shapes());
}
