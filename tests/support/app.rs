//! The whole application in-process: [`App`] sends requests through the
//! router with `oneshot` (no sockets), signed in as a user or not, and
//! [`Resp`] is what comes back.

use crate::html::{attr_values, html_text};
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use insyn_store::Store;
use serde_json::Value;
use tower::ServiceExt as _;

/// The whole application (pages, API, static files) over a store, driven
/// in-process with `oneshot`: no sockets. Requests carry the `lang` cookie
/// when one is set with [`App::lang`], and, like a browser's, a session
/// cookie (signed in as [`App::new`]'s administrator or [`App::as_user`]'s
/// user) and `Sec-Fetch-Site: same-origin`.
#[derive(Clone)]
pub struct App {
    router: axum::Router,
    store: Store,
    lang: Option<&'static str>,
    /// Who to sign in as on the first request; None: nobody.
    who: Option<String>,
    session: std::sync::Arc<tokio::sync::OnceCell<String>>,
}

/// The e-mail of the administrator that [`App::new`] signs in as.
pub const TEST_ADMIN: &str = "test-admin@insyn.test";

/// A response with its body read: status, headers and text.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    /// A header's value, "" when absent.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Where a redirect points.
    pub fn location(&self) -> &str {
        self.header("location")
    }

    /// The body as JSON; panics with the body when it is not.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.body))
    }

    /// Panics, showing the body, unless the status is `expected`.
    #[track_caller]
    pub fn expect(self, expected: u16) -> Self {
        assert_eq!(
            self.status.as_u16(),
            expected,
            "unexpected status; body:\n{}",
            self.body
        );
        self
    }

    /// The page's visible text: tags removed, entities decoded, spaces collapsed.
    pub fn text(&self) -> String {
        html_text(&self.body)
    }

    /// Panics, showing the page's text, unless the text contains `needle`.
    #[track_caller]
    pub fn assert_text_contains(&self, needle: &str) {
        let text = self.text();
        assert!(text.contains(needle), "{text}");
    }

    /// Every `href` on the page, entities decoded.
    pub fn hrefs(&self) -> Vec<String> {
        attr_values(&self.body, "href")
    }
}

impl App {
    /// Signed in as an administrator of every organisation (created now,
    /// so that its audit entry comes before anything the test counts).
    pub async fn new(store: &Store) -> Self {
        let app = Self::as_user(store, TEST_ADMIN);
        app.session().await;
        app
    }

    /// Creates the organisation `slug` (see [`crate::org`]), then signs in
    /// as [`App::new`]'s administrator.
    pub async fn new_with_org(store: &Store, slug: &str) -> anyhow::Result<Self> {
        crate::org(store, slug).await?;
        Ok(Self::new(store).await)
    }

    /// Signed in as the user with this e-mail (created by the test first;
    /// [`TEST_ADMIN`] is created on demand).
    pub fn as_user(store: &Store, email: &str) -> Self {
        Self {
            router: insyn_web::router(store.clone()),
            store: store.clone(),
            lang: None,
            who: Some(email.to_owned()),
            session: Default::default(),
        }
    }

    /// Not signed in, over a router built with settings of the test's own.
    pub fn from_router(store: &Store, router: axum::Router) -> Self {
        Self {
            router,
            ..Self::anonymous(store)
        }
    }

    /// The same user over a router built with settings of the test's own.
    pub fn with_router(self, router: axum::Router) -> Self {
        Self { router, ..self }
    }

    /// Not signed in.
    pub fn anonymous(store: &Store) -> Self {
        Self {
            who: None,
            ..Self::as_user(store, TEST_ADMIN)
        }
    }

    /// The store behind the application.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The `Cookie` header value of this app's session.
    pub async fn session_cookie(&self) -> String {
        match self.session().await {
            Some(s) => format!("{}={s}", insyn_web::auth::SESSION_COOKIE),
            None => String::new(),
        }
    }

    /// The same application, with the `lang` cookie set on every request.
    pub fn lang(&self, lang: &'static str) -> Self {
        Self {
            lang: Some(lang),
            ..self.clone()
        }
    }

    /// The session secret, signing in on first use.
    async fn session(&self) -> Option<String> {
        let email = self.who.clone()?;
        let store = self.store.clone();
        let secret = self
            .session
            .get_or_init(|| async move {
                let user = match store.user_by_email(&email).await {
                    Ok(u) => u,
                    Err(_) if email == TEST_ADMIN => store
                        .create_user(
                            &insyn_store::Actor::new("test"),
                            TEST_ADMIN,
                            "Test Administratör",
                            None,
                            &[insyn_domain::Grant {
                                org_id: None,
                                role: insyn_domain::AppRole::Administrator,
                            }],
                        )
                        .await
                        .expect("the test administrator is created"),
                    Err(e) => panic!("no user {email}: {e}"),
                };
                store
                    .create_session(user.id, "password", Default::default())
                    .await
                    .expect("a session")
            })
            .await;
        Some(secret.clone())
    }

    pub async fn request(&self, req: Request<Body>) -> Resp {
        let (status, headers, bytes) = self.request_bytes(req).await;
        Resp {
            status,
            headers,
            // A download (an .xlsx) is not text: read lossily, so that the
            // route walk can check its status; `get_bytes` gives its bytes.
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// GETs `uri` and returns the status, the headers and the body as
    /// bytes (a download: .xlsx, …).
    pub async fn get_bytes(&self, uri: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        self.request_bytes(Self::build(Method::GET, uri, None, Body::empty()))
            .await
    }

    async fn request_bytes(&self, req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut req = req;
        let mut cookies = vec![];
        if let Some(l) = self.lang {
            cookies.push(format!("lang={l}"));
        }
        if let Some(s) = self.session().await {
            cookies.push(format!("{}={s}", insyn_web::auth::SESSION_COOKIE));
        }
        if !cookies.is_empty() && !req.headers().contains_key(header::COOKIE) {
            req.headers_mut().insert(
                header::COOKIE,
                cookies.join("; ").parse().expect("a header value"),
            );
        }
        if !req.headers().contains_key("sec-fetch-site") {
            req.headers_mut().insert(
                "sec-fetch-site",
                "same-origin".parse().expect("a header value"),
            );
        }
        let resp = self
            .router
            .clone()
            .oneshot(req)
            .await
            .unwrap_or_else(|e| match e {});
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("the body is read");
        (status, headers, bytes.to_vec())
    }

    fn build(method: Method, uri: &str, content_type: Option<&str>, body: Body) -> Request<Body> {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(ct) = content_type {
            b = b.header(header::CONTENT_TYPE, ct);
        }
        b.body(body).expect("a valid request")
    }

    pub async fn get(&self, uri: &str) -> Resp {
        self.request(Self::build(Method::GET, uri, None, Body::empty()))
            .await
    }

    pub async fn delete(&self, uri: &str) -> Resp {
        self.request(Self::build(Method::DELETE, uri, None, Body::empty()))
            .await
    }

    /// GETs `uri`, panics unless the status is 200, and returns the JSON.
    pub async fn get_json(&self, uri: &str) -> Value {
        self.get(uri).await.expect(200).json()
    }

    /// GETs `uri`, panics unless the status is 200, and returns the page's
    /// text (see [`Resp::text`]).
    pub async fn get_text(&self, uri: &str) -> String {
        self.get(uri).await.expect(200).text()
    }

    /// Posts a form (`application/x-www-form-urlencoded`); keys may repeat.
    pub async fn post_form(&self, uri: &str, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).expect("form encodes");
        self.request(Self::build(
            Method::POST,
            uri,
            Some("application/x-www-form-urlencoded"),
            Body::from(body),
        ))
        .await
    }

    /// Follows a job's page (`/o/{org}/jobs/{id}`, where a confirmed
    /// import redirects) until the job has finished, reading its JSON as
    /// the page's script does; returns the finished page (within 60 s).
    pub async fn finished_job(&self, page: &str) -> Resp {
        let api = page.replacen("/o/", "/api/v1/orgs/", 1);
        for _ in 0..600 {
            let j = self.get(&api).await.expect(200).json();
            if matches!(j["state"].as_str(), Some("done" | "failed" | "interrupted")) {
                return self.get(page).await.expect(200);
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the job at {page} did not finish within 60 s");
    }

    /// Posts with no body (the archive, restore and end buttons).
    pub async fn post_empty(&self, uri: &str) -> Resp {
        self.post_form(uri, &[]).await
    }

    pub async fn post_json(&self, uri: &str, body: &Value) -> Resp {
        self.send_raw(Method::POST, uri, "application/json", body.to_string())
            .await
    }

    /// Posts an action without a body of its own (`{}`: submit, approve,
    /// sign, …), panics unless the status is `status`, and returns the
    /// response's JSON.
    pub async fn act(&self, uri: &str, status: u16) -> Value {
        self.post_json(uri, &serde_json::json!({}))
            .await
            .expect(status)
            .json()
    }

    /// Posts JSON, panics unless the status is `status`, and returns the
    /// response's JSON.
    pub async fn post_json_expecting(&self, uri: &str, body: &Value, status: u16) -> Value {
        self.post_json(uri, body).await.expect(status).json()
    }

    /// Puts JSON, panics unless the status is `status`, and returns the
    /// response's JSON.
    pub async fn put_json_expecting(&self, uri: &str, body: &Value, status: u16) -> Value {
        self.put_json(uri, body).await.expect(status).json()
    }

    pub async fn put_json(&self, uri: &str, body: &Value) -> Resp {
        self.send_raw(Method::PUT, uri, "application/json", body.to_string())
            .await
    }

    /// Sends any text body, e.g. malformed JSON.
    pub async fn send_raw(
        &self,
        method: Method,
        uri: &str,
        content_type: &str,
        body: String,
    ) -> Resp {
        self.request(Self::build(
            method,
            uri,
            Some(content_type),
            Body::from(body),
        ))
        .await
    }
}

/// Asserts that a response is a problem document (`application/problem+json`)
/// with the given status, and returns its body.
#[track_caller]
pub fn problem(r: &Resp, status: u16) -> Value {
    assert_eq!(r.status.as_u16(), status, "body: {}", r.body);
    assert_eq!(
        r.header("content-type"),
        "application/problem+json",
        "body: {}",
        r.body
    );
    let v = r.json();
    assert_eq!(v["status"], status, "{v}");
    v
}

/// Panics unless `r` is a problem document with `status` whose errors are
/// exactly the `(field, code)` pairs given, in any order; returns the document.
#[track_caller]
pub fn assert_problem_fields(r: &Resp, status: u16, expected: &[(&str, &str)]) -> Value {
    let p = problem(r, status);
    let mut got = problem_fields(&p);
    got.sort();
    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
        .collect();
    want.sort();
    assert_eq!(got, want, "{p}");
    p
}

/// The `(field, code)` pairs of a 422 problem document.
#[track_caller]
pub fn problem_fields(v: &Value) -> Vec<(String, String)> {
    v["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {v}"))
        .iter()
        .map(|e| {
            assert!(
                e["message"].as_str().is_some_and(|m| !m.is_empty()),
                "an error without a message: {e}"
            );
            (
                e["field"].as_str().unwrap_or_default().to_owned(),
                e["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// A `multipart/form-data` POST of one file (the form field `file`), as a
/// browser uploads a spreadsheet.
pub fn multipart_upload(uri: &str, file_name: &str, bytes: &[u8]) -> Request<Body> {
    let (content_type, body) = multipart_file(file_name, bytes);
    Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("a request")
}

/// A multipart form with one file, `file`: its content type and body.
pub fn multipart_file(file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "insyn-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A request carrying an API token (a JSON body when `body` is not empty).
pub fn bearer(token: &str, method: Method, uri: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .expect("a request")
}
