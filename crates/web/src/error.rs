//! Errors as the pages show them (an HTML page with `<p id="error">`) and as the API returns them
//! (`{"error": …, "help": …}`), with the same statuses.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use razvilka_kernel::Diagnostic;
use razvilka_present::svg::escape;

/// What went wrong, what would be valid, and the status that says so.
#[derive(Clone, Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub message: String,
    pub help: String,
    /// The parser's located report (file, line, column, the line underlined), when there is one.
    pub detail: Option<String>,
    /// Seconds after which the same request may succeed (sent as `Retry-After`).
    pub retry_after: Option<u64>,
}

impl AppError {
    pub fn new(
        status: StatusCode,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> AppError {
        AppError {
            status,
            message: message.into(),
            help: help.into(),
            detail: None,
            retry_after: None,
        }
    }

    /// 400: a bad parameter.
    pub fn bad(message: String, help: String) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, message, help)
    }

    /// 404: nothing here.
    pub fn not_found(what: &str) -> AppError {
        AppError::new(
            StatusCode::NOT_FOUND,
            format!("{what} not found"),
            "start from the scenario builder at /, or see /docs/api for the API's routes",
        )
    }

    /// 405: the path exists, not with this method.
    pub fn method_not_allowed(method: &axum::http::Method, path: &str, allow: &str) -> AppError {
        AppError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{path} does not take {method}"),
            format!("use {allow} (docs/api.md lists every route)"),
        )
    }

    /// 413: the request body is over the limit.
    pub fn too_large(limit: usize) -> AppError {
        AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request is larger than this server's limit of {limit} bytes"),
            "send fewer or shorter fields (the server's --max-body-bytes)",
        )
    }

    /// 429: every simulation slot is taken and the queue behind them is full.
    pub fn busy(slots: usize, queue: usize, retry_after: u64) -> AppError {
        AppError {
            retry_after: Some(retry_after),
            ..AppError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too many simulations at once, try again",
                format!("this server runs at most {slots} simulations at a time (--max-concurrent) with {queue} more waiting (--max-queue); retry in {retry_after} seconds"),
            )
        }
    }

    /// 504: over the time budget.
    pub fn timeout(budget: std::time::Duration) -> AppError {
        AppError::new(
            StatusCode::GATEWAY_TIMEOUT,
            format!("the simulation took longer than this server's time budget of {:.1} s and was stopped", budget.as_secs_f64()),
            "ask for fewer runs, or start the server with a larger --timeout-secs",
        )
    }

    /// 500: a failure that is not the request's fault.
    pub fn internal(message: String) -> AppError {
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            message,
            "this is a fault of the server, not of the request; please report it",
        )
    }
}

impl From<Diagnostic> for AppError {
    fn from(d: Diagnostic) -> AppError {
        AppError {
            status: StatusCode::BAD_REQUEST,
            message: d.message.clone(),
            help: d
                .help
                .clone()
                .unwrap_or_else(|| "see docs/scenarios.md for the scenario format".to_string()),
            detail: Some(d.to_string()),
            retry_after: None,
        }
    }
}

impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> AppError {
        AppError::internal(e.to_string())
    }
}

/// An error shown as a page.
#[derive(Debug)]
pub struct PageError(pub AppError);

/// An error returned as JSON.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> PageError {
        PageError(e)
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        ApiError(e)
    }
}

/// The HTML of an error page.
pub fn error_page(e: &AppError) -> String {
    let mut body = format!(
        "<p id=\"error\">{}</p><p id=\"help\">{}</p>",
        escape(&e.message),
        escape(&e.help)
    );
    if let Some(detail) = &e.detail {
        body.push_str(&format!(
            "<pre class=\"diagnostic\">{}</pre>",
            escape(detail)
        ));
    }
    body.push_str("<p><a href=\"/\">Back to the scenario builder</a></p>");
    let title = format!(
        "{} {}",
        e.status.as_u16(),
        e.status.canonical_reason().unwrap_or("Error")
    );
    crate::pages::shell(&title, "problem", "What went wrong", &body)
}

/// The headers every error carries: not cached, and when to retry.
fn error_headers(e: &AppError, r: &mut Response) {
    let h = r.headers_mut();
    h.insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    if let Some(secs) = e.retry_after {
        h.insert(axum::http::header::RETRY_AFTER, secs.into());
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = error_page(&self.0);
        let mut r = (self.0.status, axum::response::Html(page)).into_response();
        error_headers(&self.0, &mut r);
        r
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The located report, when there is one, says the message and where.
        let error = self.0.detail.as_ref().unwrap_or(&self.0.message);
        let body = serde_json::json!({ "error": error, "help": self.0.help });
        let mut r = (self.0.status, axum::Json(body)).into_response();
        error_headers(&self.0, &mut r);
        r
    }
}
