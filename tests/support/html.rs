//! Reading pages as text: entities, visible text, attribute values and the
//! element with an id.

/// Decodes the entities askama writes (and numeric ones).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The visible text of an HTML fragment: tags removed, entities decoded,
/// every run of white space (no-break spaces too) made one space.
pub fn html_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                raw.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => raw.push(c),
            _ => {}
        }
    }
    unescape(&raw)
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every value of an attribute (`attr="…"`) in an HTML text, decoded.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = vec![];
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push(unescape(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

/// The first element that carries `id="…"`, from its start tag to the end of
/// its start tag's line of text (up to the next `</`): enough to read a
/// message beside a field.
pub fn element_by_id<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let needle = format!("id=\"{id}\"");
    let i = html.find(&needle)?;
    let start = html[..i].rfind('<')?;
    let end = html[i..].find("</").map_or(html.len(), |e| i + e);
    Some(&html[start..end])
}

/// The text of the element with `id`, as [`element_by_id`] finds it.
pub fn text_by_id(html: &str, id: &str) -> Option<String> {
    element_by_id(html, id).map(html_text)
}
