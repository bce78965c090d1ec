//! Rendering of an [`Explanation`] as Markdown, plain text or LaTeX.

use super::{Block, Explanation};

/// Output format of a derivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown; formulas as `$$…$$` display math (GitHub, Pandoc).
    Markdown,
    /// Plain text with Unicode formulas, tables aligned in columns.
    Text,
    /// A LaTeX document (`\documentclass{article}`), compilable with pdflatex.
    Tex,
}

/// Renders the derivation in `format`.
pub fn render(ex: &Explanation, format: Format) -> String {
    match format {
        Format::Markdown => markdown(ex),
        Format::Text => text(ex),
        Format::Tex => tex(ex),
    }
}

fn markdown(ex: &Explanation) -> String {
    let mut s = format!("# {}\n\n", ex.title);
    for b in &ex.blocks {
        match b {
            Block::Heading(h) => s += &format!("## {h}\n\n"),
            Block::Text(t) => s += &format!("{}\n\n", md_escape(t)),
            Block::Math { tex, .. } => s += &format!("$$\n{tex}\n$$\n\n"),
            Block::Table { head, rows } => {
                s += &format!(
                    "| {} |\n",
                    head.iter()
                        .map(|h| md_escape(h))
                        .collect::<Vec<_>>()
                        .join(" | ")
                );
                s += &format!("|{}\n", " --- |".repeat(head.len()));
                for r in rows {
                    s += &format!(
                        "| {} |\n",
                        r.iter()
                            .map(|c| md_escape(c))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    );
                }
                s += "\n";
            }
        }
    }
    s
}

fn md_escape(t: &str) -> String {
    t.replace('|', "\\|").replace('*', "\\*")
}

fn text(ex: &Explanation) -> String {
    let mut s = format!("{}\n{}\n\n", ex.title, "=".repeat(ex.title.chars().count()));
    for b in &ex.blocks {
        match b {
            Block::Heading(h) => s += &format!("{h}\n{}\n", "-".repeat(h.chars().count())),
            Block::Text(t) => s += &format!("{}\n\n", wrap(t, 92)),
            Block::Math { plain, .. } => {
                for part in plain.split("   ") {
                    s += &format!("    {}\n", part.trim());
                }
                s += "\n";
            }
            Block::Table { head, rows } => {
                let ncol = head.len();
                let width: Vec<usize> = (0..ncol)
                    .map(|c| {
                        rows.iter()
                            .map(|r| r.get(c).map_or(0, |x| x.chars().count()))
                            .chain([head[c].chars().count()])
                            .max()
                            .unwrap_or(0)
                    })
                    .collect();
                let line = |cells: &[String]| {
                    let mut l = String::from("    ");
                    for (c, w) in width.iter().enumerate() {
                        let cell = cells.get(c).map_or("", |x| x.as_str());
                        let pad = w - cell.chars().count();
                        if c == 0 {
                            l += &format!("{cell}{}", " ".repeat(pad));
                        } else {
                            l += &format!("  {}{cell}", " ".repeat(pad));
                        }
                    }
                    l.trim_end().to_string() + "\n"
                };
                s += &line(head);
                s += &line(&width.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>());
                for r in rows {
                    s += &line(r);
                }
                s += "\n";
            }
        }
    }
    s
}

fn wrap(t: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in t.split_whitespace() {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out += word;
        line += n;
    }
    out
}

fn tex(ex: &Explanation) -> String {
    let mut s = String::from(
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n\\usepackage{amsmath}\n\\usepackage[margin=2cm]{geometry}\n",
    );
    s += &format!(
        "\\title{{{}}}\n\\date{{}}\n\\begin{{document}}\n\\maketitle\n\n",
        tex_escape(&ex.title)
    );
    for b in &ex.blocks {
        match b {
            Block::Heading(h) => s += &format!("\\section*{{{}}}\n\n", tex_escape(h)),
            Block::Text(t) => s += &format!("{}\n\n", tex_escape(t)),
            Block::Math { tex, .. } => s += &format!("\\[\n{}\n\\]\n\n", math_commas(tex)),
            Block::Table { head, rows } => {
                s += &format!(
                    "\\begin{{center}}\n\\begin{{tabular}}{{l{}}}\n\\hline\n",
                    "r".repeat(head.len().saturating_sub(1))
                );
                s += &format!(
                    "{} \\\\\n\\hline\n",
                    head.iter()
                        .map(|h| tex_escape(h))
                        .collect::<Vec<_>>()
                        .join(" & ")
                );
                for r in rows {
                    s += &format!(
                        "{} \\\\\n",
                        r.iter()
                            .map(|c| tex_escape(c))
                            .collect::<Vec<_>>()
                            .join(" & ")
                    );
                }
                s += "\\hline\n\\end{tabular}\n\\end{center}\n\n";
            }
        }
    }
    s += "\\end{document}\n";
    s
}

/// In math mode a comma is punctuation followed by a space: a decimal comma (a comma
/// between digits) is written `{,}`.
fn math_commas(t: &str) -> String {
    let c: Vec<char> = t.chars().collect();
    let mut out = String::with_capacity(t.len());
    for (i, &ch) in c.iter().enumerate() {
        let decimal = ch == ','
            && i > 0
            && c[i - 1].is_ascii_digit()
            && c.get(i + 1).is_some_and(|d| d.is_ascii_digit());
        if decimal {
            out += "{,}";
        } else {
            out.push(ch);
        }
    }
    out
}

fn tex_escape(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '\\' => out += "\\textbackslash{}",
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out += "\\textasciitilde{}",
            '^' => out += "\\textasciicircum{}",
            '<' => out += "$<$",
            '>' => out += "$>$",
            'τ' => out += "$\\tau$",
            'μ' => out += "$\\mu$",
            'Σ' => out += "$\\Sigma$",
            'χ' => out += "$\\chi$",
            '²' => out += "$^2$",
            'ᵢ' => out += "$_i$",
            '₀' => out += "$_0$",
            '₁' => out += "$_1$",
            '₂' => out += "$_2$",
            '−' => out += "$-$",
            '≤' => out += "$\\le$",
            '≥' => out += "$\\ge$",
            '→' => out += "$\\to$",
            '×' => out += "$\\times$",
            '√' => out += "$\\surd$",
            '–' => out += "--",
            '\u{0302}' => {}
            _ => out.push(c),
        }
    }
    out
}
