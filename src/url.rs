//! The parts of a request URL the gateway and the callback receiver look at, read without a URL parser.

/// The path of `url` (`https://host/aicc/x?y#z` gives `/aicc/x`), `/` when it has none.
pub fn path_of(url: &str) -> &str {
    let path = path_and_query_of(url);
    path.split(['?', '#']).next().unwrap_or(path)
}

/// The path and query of `url`, without its fragment (`https://host/a?b#c` gives `/a?b`).
pub fn path_and_query_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(url, |i| url.get(i + 3..).unwrap_or_default());
    let path = after_scheme.find('/').and_then(|i| after_scheme.get(i..)).unwrap_or("/");
    path.split('#').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_read_from_whole_urls() {
        assert_eq!(path_of("https://gw.example.com/aicc/createCall?x=1#y"), "/aicc/createCall");
        assert_eq!(path_of("https://gw.example.com"), "/");
        assert_eq!(path_of("/aicc/queryCallState"), "/aicc/queryCallState");
        assert_eq!(path_and_query_of("http://127.0.0.1:8080/cb?aiccexp_1#frag"), "/cb?aiccexp_1");
    }
}
