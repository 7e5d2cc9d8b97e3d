//! The admin API client: same-origin requests with the admin token, protocol errors kept.

use gloo_net::http::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shoppable_protocol::{ApiError, ErrorCode, RowError};

use crate::{Lang, Tr};

#[derive(Debug, Clone)]
pub struct Api {
    base: String,
    token: String,
}

/// A refused or failed request: the HTTP status (0 without an answer), the backend's code and
/// English message (for developers) and, for a refused catalog feed, its bad rows.
#[derive(Debug, Clone, Default)]
pub struct Failure {
    pub status: u16,
    pub code: Option<ErrorCode>,
    pub message: String,
    pub field: Option<String>,
    pub rows: Vec<RowError>,
}

impl Failure {
    /// What the shop owner reads, in the console's language, chosen by the error's code (the
    /// protocol's messages are English, for developers): the backend's own words follow only
    /// where they name what to fix.
    pub fn text(&self, lang: Lang) -> String {
        let detail = |lead: Tr| {
            let (lead, colon) = (lang.t(lead), lang.colon());
            match &self.field {
                Some(field) => format!("{lead} ({field}){colon}{}", self.message),
                None => format!("{lead}{colon}{}", self.message),
            }
        };
        match (self.status, self.code) {
            (0, _) => lang
                .t(tr!(
                    "La boutique est injoignable ; vérifiez la connexion et réessayez.",
                    "The shop could not be reached; check the connection and try again.",
                    "Der Shop ist nicht erreichbar; prüfen Sie die Verbindung und versuchen Sie es erneut.",
                    "No se puede contactar con la tienda; comprueba la conexión y vuelve a intentarlo.",
                    "Il negozio non è raggiungibile; controlla la connessione e riprova."
                ))
                .to_owned(),
            (_, Some(ErrorCode::Unauthorized)) | (401, None) => lang
                .t(tr!(
                    "La boutique refuse ce jeton.",
                    "The shop refuses this token.",
                    "Der Shop lehnt dieses Token ab.",
                    "La tienda rechaza este token.",
                    "Il negozio rifiuta questo token."
                ))
                .to_owned(),
            (_, Some(ErrorCode::NotFound)) | (404, None) => lang
                .t(tr!(
                    "Introuvable : peut-être supprimé entre-temps.",
                    "Not found: it may have been deleted meanwhile.",
                    "Nicht gefunden: vielleicht inzwischen gelöscht.",
                    "No encontrado: quizá se ha eliminado entretanto.",
                    "Non trovato: forse è stato eliminato nel frattempo."
                ))
                .to_owned(),
            (_, Some(ErrorCode::InvalidTransition)) => detail(tr!(
                "Impossible dans l’état actuel de la commande",
                "Not possible in the order’s current state",
                "Im aktuellen Zustand der Bestellung nicht möglich",
                "No es posible en el estado actual del pedido",
                "Non è possibile nello stato attuale dell’ordine"
            )),
            (_, Some(ErrorCode::PayloadTooLarge)) | (413, None) => lang
                .t(tr!(
                    "Trop volumineux pour la boutique.",
                    "Too large for the shop.",
                    "Zu groß für den Shop.",
                    "Demasiado grande para la tienda.",
                    "Troppo grande per il negozio."
                ))
                .to_owned(),
            (_, Some(ErrorCode::InvalidField | ErrorCode::MalformedRequest)) => {
                detail(tr!("Valeur refusée", "Value refused", "Wert abgelehnt", "Valor rechazado", "Valore rifiutato"))
            }
            (429, _) => lang
                .t(tr!(
                    "Trop de demandes : réessayez dans un instant.",
                    "Too many requests: try again in a moment.",
                    "Zu viele Anfragen: Versuchen Sie es gleich noch einmal.",
                    "Demasiadas solicitudes: vuelve a intentarlo en un momento.",
                    "Troppe richieste: riprova tra un momento."
                ))
                .to_owned(),
            (500.., _) | (_, Some(ErrorCode::Internal)) => lang
                .t(tr!(
                    "La boutique a échoué : réessayez dans un instant.",
                    "The shop failed: try again in a moment.",
                    "Der Shop ist gescheitert: Versuchen Sie es gleich noch einmal.",
                    "La tienda ha fallado: vuelve a intentarlo en un momento.",
                    "Il negozio ha avuto un errore: riprova tra un momento."
                ))
                .to_owned(),
            _ => detail(tr!(
                "Refusé par la boutique",
                "Refused by the shop",
                "Vom Shop abgelehnt",
                "Rechazado por la tienda",
                "Rifiutato dal negozio"
            )),
        }
    }
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    #[serde(flatten)]
    error: ApiError,
    #[serde(default)]
    rows: Vec<RowError>,
}

impl Api {
    /// The backend of the page's `<body data-api>` (default: this origin).
    pub fn new(token: &str) -> Api {
        let document = web_sys::window().and_then(|w| w.document());
        let given = document.and_then(|d| d.body()).and_then(|b| b.get_attribute("data-api")).unwrap_or_else(|| "/".into());
        let page = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        let base = web_sys::Url::new_with_base(&given, &page).map(|u| u.href()).unwrap_or(given);
        Api { base: base.trim_end_matches('/').to_owned(), token: token.trim().to_owned() }
    }

    /// A URL from the backend made absolute: `/v1/...` appended to the base, other references
    /// resolved against it (as PROTOCOL.md says).
    pub fn absolute(&self, url: &str) -> String {
        if url.starts_with("/v1/") {
            return format!("{}{url}", self.base);
        }
        web_sys::Url::new_with_base(url, &format!("{}/", self.base)).map(|u| u.href()).unwrap_or_default()
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Failure> {
        self.send(Method::GET, path, None).await
    }

    pub async fn post<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> Result<T, Failure> {
        let json = serde_json::to_string(body).unwrap_or_default();
        self.send(Method::POST, path, Some(("application/json", json.into()))).await
    }

    pub async fn put<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> Result<T, Failure> {
        let json = serde_json::to_string(body).unwrap_or_default();
        self.send(Method::PUT, path, Some(("application/json", json.into()))).await
    }

    /// A body of another type (a catalog feed as `text/csv`).
    pub async fn post_raw<T: DeserializeOwned>(&self, path: &str, content_type: &str, body: wasm_bindgen::JsValue) -> Result<T, Failure> {
        self.send(Method::POST, path, Some((content_type, body))).await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<(&str, wasm_bindgen::JsValue)>,
    ) -> Result<T, Failure> {
        let builder =
            RequestBuilder::new(&format!("{}{path}", self.base)).method(method).header("Authorization", &format!("Bearer {}", self.token));
        let request = match body {
            Some((content_type, body)) => builder.header("Content-Type", content_type).body(body),
            None => builder.build(),
        };
        let unreachable = |e: gloo_net::Error| Failure { message: format!("the shop could not be reached ({e})"), ..Failure::default() };
        let response = request.map_err(unreachable)?.send().await.map_err(unreachable)?;
        let status = response.status();
        let text = response.text().await.map_err(unreachable)?;
        if !(200..300).contains(&status) {
            return Err(match serde_json::from_str::<ErrorBody>(&text) {
                Ok(body) => {
                    Failure { status, code: Some(body.error.code), message: body.error.message, field: body.error.field, rows: body.rows }
                }
                Err(_) => Failure { status, message: format!("HTTP {status}"), ..Failure::default() },
            });
        }
        serde_json::from_str(&text).map_err(|e| Failure { status, message: format!("unexpected answer ({e})"), ..Failure::default() })
    }
}

/// A query string value.
pub fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}
