//! Responses: headers every page carries, ETags and 304s, errors as pages or JSON, static assets.

use super::*;

/// The policy every page is held to: nothing but this server's own stylesheet and forms, the
/// report's inline `<style>` and SVG style attributes (hence `'unsafe-inline'` for styles only), no
/// script at all, and no framing by other sites.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// What every response passes through on its way out: the errors that layers below answer in plain
/// text or with an empty body (413 from the body limit, 405 from the router) become the error page
/// or JSON like every error; a cacheable page gets a validator (`ETag`, and 304 when the browser
/// already has it); every response gets the security headers.
pub(super) async fn finish(
    req: axum::extract::Request,
    next: axum::middleware::Next,
    limit: usize,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let mut response = next.run(req).await;
    let ours = response.headers().contains_key("x-razvilka-error");
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !ours {
        response = error_response(AppError::too_large(limit), api);
    } else if response.status() == StatusCode::METHOD_NOT_ALLOWED && !ours {
        // The router's 405 names no method; the two routes that take a form or JSON are POST.
        let allowed = if path == "/save" || path == "/api/save" {
            "POST"
        } else {
            "GET, HEAD"
        };
        response = error_response(AppError::method_not_allowed(&method, &path, allowed), api);
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static(allowed));
    }
    if (method == axum::http::Method::GET || method == axum::http::Method::HEAD)
        && response.status() == StatusCode::OK
        && may_be_kept(response.headers())
    {
        response = with_etag(response, if_none_match).await;
    }
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("DENY"),
    );
    h.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("same-origin"),
    );
    response
}

/// Whether a response said it may be kept (`max-age`, and not `no-store`).
pub(super) fn may_be_kept(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("max-age") && !v.contains("no-store"))
}

/// Adds a weak `ETag` (a digest of the body: weak, as the compression layer may send it in other
/// bytes) and answers 304 when the request already holds it.
pub(super) async fn with_etag(
    response: Response,
    if_none_match: Option<header::HeaderValue>,
) -> Response {
    use sha2::Digest;
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return error_response(
            AppError::internal("the page could not be read back".into()),
            false,
        );
    };
    let digest = sha2::Sha256::digest(&bytes);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let tag = format!("W/\"{hex}\"");
    let matches = if_none_match
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.trim_start_matches("W/") == tag.trim_start_matches("W/"))
        });
    parts.headers.insert(
        header::ETAG,
        header::HeaderValue::from_str(&tag).expect("hex is a valid header"),
    );
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, axum::body::Body::empty());
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

pub(super) fn error_response(e: AppError, api: bool) -> Response {
    let mut r = if api {
        ApiError(e).into_response()
    } else {
        PageError(e).into_response()
    };
    r.headers_mut()
        .insert("x-razvilka-error", header::HeaderValue::from_static("1"));
    r
}

pub(super) async fn not_found(uri: Uri) -> Response {
    error_response(
        AppError::not_found(&format!("`{}`", uri.path())),
        uri.path().starts_with("/api/"),
    )
}

// ---------------------------------------------------------------------------------------------
// Assets
// ---------------------------------------------------------------------------------------------

/// The embedded assets, by exact name: nothing else is ever served from a path.
pub(super) const ASSETS: [(&str, &str, &str); 1] = [(
    "web.css",
    "text/css; charset=utf-8",
    include_str!("../assets/web.css"),
)];

pub(super) async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        // A day: the stylesheet changes only with the binary.
        Some((_, mime, body)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            *body,
        )
            .into_response(),
        None => error_response(AppError::not_found(&format!("asset `{name}`")), false),
    }
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

/// A page that the same address always gives again: cacheable by browsers and proxies.
pub(super) fn cacheable(page: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        page.to_owned(),
    )
        .into_response()
}

/// A page that changes (the running page, the builder after a restart with other flags).
pub(super) fn fresh(page: String, cache_control: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, cache_control),
        ],
        page,
    )
        .into_response()
}
