//! Committed files that must equal what the code produces today (snapshots of generated
//! Typst, the generated meeting-file reference): compared line by line, shown as a unified
//! diff of the first differences on failure, rewritten when the named variable is set.

use std::path::Path;

/// Lines of context around a change, and the most diff lines printed.
const CONTEXT: usize = 3;
const MAX_LINES: usize = 80;

/// Asserts that the file at `committed` holds exactly `actual`: see [`check_current`].
pub fn assert_current(committed: &Path, actual: &str, update: &str) {
    if let Err(message) = check_current(committed, actual, update) {
        panic!("{message}");
    }
}

/// Whether the file at `committed` holds exactly `actual`; when the environment variable
/// `update` is set (to anything), writes `actual` there instead. The error names the
/// variable, so whoever changed the output on purpose knows how to accept it.
pub fn check_current(committed: &Path, actual: &str, update: &str) -> Result<(), String> {
    if std::env::var_os(update).is_some() {
        std::fs::create_dir_all(committed.parent().unwrap()).unwrap();
        if std::fs::read_to_string(committed).ok().as_deref() != Some(actual) {
            std::fs::write(committed, actual).unwrap();
        }
        return Ok(());
    }
    let shown = committed.display();
    let Ok(expected) = std::fs::read_to_string(committed) else {
        return Err(format!(
            "{shown} is missing: run the test with {update}=1 to write it, then review and commit it"
        ));
    };
    if expected != actual {
        return Err(format!(
            "{shown} differs from what the code produces now (- committed, + now):\n{}\n\
             If the change is intended, run the test with {update}=1 and commit the file.",
            unified_diff(&expected, actual)
        ));
    }
    Ok(())
}

/// A unified diff (`-` old, `+` new, ` ` context) of the first hunks where `old` and `new`
/// differ, cut after [`MAX_LINES`] lines. Lines are matched by a longest common subsequence
/// over the part between the common head and tail.
pub fn unified_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);

    // Edit script over the middle: (tag, line).
    let mut ops: Vec<(char, &str)> = Vec::new();
    if mid_a.len().saturating_mul(mid_b.len()) <= 4_000_000 {
        // lcs[i][j]: length of the LCS of mid_a[i..] and mid_b[j..].
        let (n, m) = (mid_a.len(), mid_b.len());
        let mut lcs = vec![vec![0u32; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] = if mid_a[i] == mid_b[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && mid_a[i] == mid_b[j] {
                ops.push((' ', mid_a[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
                ops.push(('-', mid_a[i]));
                i += 1;
            } else {
                ops.push(('+', mid_b[j]));
                j += 1;
            }
        }
    } else {
        // Too large to align: everything between head and tail replaced.
        ops.extend(mid_a.iter().map(|l| ('-', *l)));
        ops.extend(mid_b.iter().map(|l| ('+', *l)));
    }

    // Surround with context from the common head and tail; print changes and the context
    // lines within CONTEXT of a change, each hunk headed by its line in the committed file.
    let start = head.saturating_sub(CONTEXT);
    let mut all: Vec<(char, &str)> = a[start..head].iter().map(|l| (' ', *l)).collect();
    all.extend(ops.iter().copied());
    all.extend(a[a.len() - tail..].iter().take(CONTEXT).map(|l| (' ', *l)));
    let near_change = |k: usize| {
        let lo = k.saturating_sub(CONTEXT);
        let hi = (k + CONTEXT).min(all.len() - 1);
        all[lo..=hi].iter().any(|(t, _)| *t != ' ')
    };
    let mut out = String::new();
    let mut line = start + 1; // line number in `old` of the next entry
    let mut printed = 0;
    let mut in_hunk = false;
    for (k, (tag, text)) in all.iter().enumerate() {
        let shown = *tag != ' ' || near_change(k);
        if shown && !in_hunk {
            out.push_str(&format!("@@ line {line} @@\n"));
        }
        in_hunk = shown;
        if *tag != '+' {
            line += 1;
        }
        if !shown {
            continue;
        }
        if printed == MAX_LINES {
            out.push_str("… (diff cut here)\n");
            break;
        }
        out.push(*tag);
        out.push_str(text);
        out.push('\n');
        printed += 1;
    }
    if ops.is_empty() {
        out.push_str(
            "(the lines are equal: the files differ in line endings or the final newline)\n",
        );
    }
    out
}

#[test]
fn the_diff_shows_a_changed_line_with_its_context() {
    let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
    let new = "a\nb\nc\nd\nE\nf\ng\nh\nnew\n";
    let diff = unified_diff(old, new);
    assert_eq!(diff, "@@ line 2 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n+new\n");
}
