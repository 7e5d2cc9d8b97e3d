use axum::Json;
use axum::extract::State;
use shoppable_protocol::{Configuration, PROTOCOL_VERSION};

use crate::AppState;

/// `GET /v1/config`
pub async fn show(State(state): State<AppState>) -> Json<Configuration> {
    let config = &state.config;
    Json(Configuration {
        protocol_version: PROTOCOL_VERSION,
        shop_name: config.shop_name.clone(),
        currencies: vec![config.currency],
        countries: config.countries.clone(),
        payment_methods: state.providers.iter().map(|p| p.method()).collect(),
        cancel_window_seconds: config.cancel_window_seconds,
        return_window_seconds: (config.return_window_seconds > 0).then_some(config.return_window_seconds),
        events_url: Some("/v1/events".to_owned()),
    })
}
