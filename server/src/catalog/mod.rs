//! Catalog import from a Meta (Facebook) catalog feed in CSV: one row per variant, rows
//! sharing an `item_group_id` form one product. All rows are imported, or none.

use std::collections::{HashMap, HashSet};

use shoppable_protocol::url::is_safe_link;
use shoppable_protocol::{
    ApiError, ErrorCode, ImportErrors, ImportReport, Money, Product, ProductImage, ProductOption, RowError, RowProblem, StockRequest,
    Variant,
};

use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::storage::Db;
use crate::storage::catalog::replace_product;

const REQUIRED_COLUMNS: [&str; 6] = ["id", "title", "description", "availability", "price", "image_link"];
/// Option axes taken from the feed, in display order.
const OPTION_COLUMNS: [&str; 2] = ["color", "size"];
/// Errors listed in one answer; the rest are counted.
const MAX_REPORTED_ERRORS: usize = 100;

/// One valid row of the feed.
struct Row {
    group: String,
    title: String,
    description: String,
    brand: Option<String>,
    link: Option<String>,
    images: Vec<String>,
    options: [String; OPTION_COLUMNS.len()],
    variant: Variant,
}

/// The cells of one CSV record by column name.
struct Cells<'a> {
    columns: &'a HashMap<String, usize>,
    record: &'a csv::StringRecord,
    row: u32,
    errors: &'a mut Vec<RowError>,
}

impl Cells<'_> {
    fn get(&self, column: &str) -> &str {
        self.columns.get(column).and_then(|&i| self.record.get(i)).map_or("", str::trim)
    }

    fn fail(&mut self, column: &str, problem: RowProblem, message: impl Into<String>) {
        self.errors.push(RowError { row: self.row, column: Some(column.to_owned()), problem: Some(problem), message: message.into() });
    }

    fn required(&mut self, column: &str) -> String {
        let value = self.get(column).to_owned();
        if value.is_empty() {
            self.fail(column, RowProblem::Required, "this column is required");
        }
        value
    }

    fn link(&mut self, column: &str) -> Option<String> {
        let value = self.get(column).to_owned();
        if value.is_empty() {
            return None;
        }
        if !is_safe_link(&value) {
            self.fail(column, RowProblem::NotALink, "must be an http(s) URL or a site-relative path");
        }
        Some(value)
    }

    fn price(&mut self, column: &str, currency: shoppable_protocol::Currency) -> Option<Money> {
        let text = self.get(column).to_owned();
        if text.is_empty() {
            return None;
        }
        match Money::parse(&text) {
            Ok(money) if money.currency == currency => Some(money),
            Ok(money) => {
                self.fail(
                    column,
                    RowProblem::WrongCurrency,
                    format!("prices must be in {currency}, the shop's currency, not {}", money.currency),
                );
                None
            }
            Err(error) => {
                self.fail(column, RowProblem::NotAPrice, error.to_string());
                None
            }
        }
    }
}

fn parse_row(cells: &mut Cells, currency: shoppable_protocol::Currency) -> Option<Row> {
    let errors_before = cells.errors.len();
    let id = cells.required("id");
    let title = cells.required("title");
    let description = cells.get("description").to_owned();
    let price = cells.price("price", currency);
    if cells.get("price").is_empty() {
        cells.fail("price", RowProblem::Required, "this column is required");
    }
    let sale_price = cells.price("sale_price", currency);
    let in_stock = match cells.get("availability").to_ascii_lowercase().as_str() {
        "in stock" => true,
        "out of stock" => false,
        _ => {
            cells.fail("availability", RowProblem::Availability, "must be `in stock` or `out of stock`");
            false
        }
    };
    let quantity = match cells.get("quantity") {
        "" => None,
        // The bound of the console's stock endpoint: one rule for every way stock is set.
        text => match text.parse::<u32>().map(|stock| (StockRequest { stock: Some(stock) }, stock)) {
            Ok((request, stock)) if !request.is_too_large() => Some(stock),
            _ => {
                cells.fail("quantity", RowProblem::Quantity, format!("must be a whole number of units, 0 to {}", StockRequest::MAX));
                None
            }
        },
    };
    let link = cells.link("link");
    let image = cells.link("image_link");
    if image.is_none() {
        cells.fail("image_link", RowProblem::Required, "this column is required");
    }
    let mut images: Vec<String> = image.into_iter().collect();
    for extra in
        cells.get("additional_image_link").split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect::<Vec<_>>()
    {
        if is_safe_link(&extra) {
            images.push(extra);
        } else {
            cells.fail("additional_image_link", RowProblem::NotALink, "must be http(s) URLs or site-relative paths, separated by commas");
        }
    }
    if let (Some(price), Some(sale)) = (price, sale_price)
        && sale.amount > price.amount
    {
        cells.fail("sale_price", RowProblem::SaleAbovePrice, "the sale price is higher than the price");
    }
    if cells.errors.len() > errors_before {
        return None;
    }
    let price = price?;
    let options = OPTION_COLUMNS.map(|column| cells.get(column).to_owned());
    let group = Some(cells.get("item_group_id")).filter(|g| !g.is_empty()).unwrap_or(&id).to_owned();
    let brand = Some(cells.get("brand").to_owned()).filter(|b| !b.is_empty());
    Some(Row {
        group,
        description,
        brand,
        link,
        options,
        variant: Variant {
            id,
            title: title.clone(),
            option_values: Vec::new(),
            price: sale_price.unwrap_or(price),
            compare_at_price: sale_price.map(|_| price),
            // Out of stock wins over a quantity; without a quantity the stock is not tracked.
            stock: if in_stock { quantity } else { Some(0) },
            available: in_stock && quantity != Some(0),
            image_url: images.first().cloned(),
        },
        images,
        title,
    })
}

/// Builds one product from the rows of one group (at least one row).
fn product_of(rows: Vec<Row>) -> Product {
    let first = &rows[0];
    let used: Vec<usize> = (0..OPTION_COLUMNS.len()).filter(|&i| rows.iter().any(|r| !r.options[i].is_empty())).collect();
    let options: Vec<ProductOption> = used
        .iter()
        .map(|&i| {
            let mut values: Vec<String> = Vec::new();
            for row in &rows {
                if !row.options[i].is_empty() && !values.contains(&row.options[i]) {
                    values.push(row.options[i].clone());
                }
            }
            ProductOption { name: OPTION_COLUMNS[i].to_owned(), values }
        })
        .collect();
    let mut image_urls: Vec<String> = Vec::new();
    for url in rows.iter().flat_map(|r| r.images.iter()) {
        if !image_urls.contains(url) {
            image_urls.push(url.clone());
        }
    }
    let mut product = Product {
        id: first.group.clone(),
        title: first.title.clone(),
        description: first.description.clone(),
        brand: rows.iter().find_map(|r| r.brand.clone()),
        url: first.link.clone(),
        images: image_urls.into_iter().map(|url| ProductImage { url, alt: first.title.clone() }).collect(),
        options,
        variants: Vec::new(),
    };
    for row in rows {
        let mut variant = row.variant;
        variant.option_values = used.iter().map(|&i| row.options[i].clone()).collect();
        let named: Vec<&str> = variant.option_values.iter().map(String::as_str).filter(|v| !v.is_empty()).collect();
        if !named.is_empty() {
            variant.title = named.join(" / ");
        }
        product.variants.push(variant);
    }
    product
}

/// Parses the whole feed; every bad row is reported, and nothing is returned unless all are good.
pub fn parse_feed(csv_bytes: &[u8], config: &Config) -> Result<Vec<Product>, Vec<RowError>> {
    let csv_bytes = csv_bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(csv_bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(csv_bytes);
    let file_error = |problem, message: String| vec![RowError { row: 1, column: None, problem: Some(problem), message }];
    let headers = reader.headers().map_err(|e| file_error(RowProblem::NotCsv, format!("cannot read the header row: {e}")))?.clone();
    let columns: HashMap<String, usize> = headers.iter().enumerate().map(|(i, name)| (name.trim().to_ascii_lowercase(), i)).collect();
    let missing: Vec<RowError> = REQUIRED_COLUMNS
        .iter()
        .filter(|c| !columns.contains_key(**c))
        .map(|c| RowError {
            row: 1,
            column: Some((*c).to_owned()),
            problem: Some(RowProblem::MissingColumn),
            message: "this column is missing".to_owned(),
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut errors = Vec::new();
    let mut seen_ids = HashSet::new();
    let mut groups: Vec<Vec<Row>> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    for (index, record) in reader.records().enumerate() {
        let row = index as u32 + 2;
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                errors.push(RowError { row, column: None, problem: Some(RowProblem::NotCsv), message: format!("not valid CSV: {error}") });
                continue;
            }
        };
        // No database stores a NUL character in text (PostgreSQL refuses it).
        if let Some(column) = record.iter().position(|cell| cell.contains('\0')) {
            let column = headers.get(column).map(|name| name.trim().to_ascii_lowercase());
            errors.push(RowError {
                row,
                column,
                problem: Some(RowProblem::NulCharacter),
                message: "a cell contains a NUL character".to_owned(),
            });
            continue;
        }
        let mut cells = Cells { columns: &columns, record: &record, row, errors: &mut errors };
        // Every problem of the row is reported: a repeated id as well as a bad price.
        let id = cells.get("id").to_owned();
        let parsed = parse_row(&mut cells, config.currency);
        if !id.is_empty() && !seen_ids.insert(id) {
            cells.fail("id", RowProblem::RepeatedId, "this id is already used by an earlier row");
            continue;
        }
        let Some(parsed) = parsed else { continue };
        match group_index.get(&parsed.group) {
            Some(&i) => groups[i].push(parsed),
            None => {
                group_index.insert(parsed.group.clone(), groups.len());
                groups.push(vec![parsed]);
            }
        }
    }
    if groups.is_empty() && errors.is_empty() {
        return Err(file_error(RowProblem::NoRows, "the feed has no product rows".to_owned()));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(groups.into_iter().map(product_of).collect())
}

/// Imports the feed in one transaction: products are created or replaced; products absent
/// from the feed are kept.
pub async fn import(db: &Db, config: &Config, csv_bytes: &[u8]) -> AppResult<ImportReport> {
    let products = parse_feed(csv_bytes, config).map_err(|mut rows| {
        let message = format!("{} problems in the feed; nothing was imported", rows.len());
        rows.truncate(MAX_REPORTED_ERRORS);
        AppError::Import(ImportErrors { error: ApiError::new(ErrorCode::InvalidField, message).with_field("rows"), rows })
    })?;
    let mut write = db.write_tx().await?;
    for product in &products {
        replace_product(&mut write.tx, product).await?;
    }
    // A variant that moved to another product may leave its old product without variants:
    // such a product is gone (a product has at least one variant).
    sqlx::query("DELETE FROM products WHERE NOT EXISTS (SELECT 1 FROM variants WHERE variants.product_id = products.id)")
        .execute(&mut *write.tx)
        .await?;
    write.commit().await?;
    let variants = products.iter().map(|p| p.variants.len() as u32).sum();
    tracing::info!(products = products.len(), variants, "catalog imported");
    Ok(ImportReport { products: products.len() as u32, variants })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn problems(feed: &str) -> Vec<(u32, Option<String>, Option<RowProblem>)> {
        let config = Config::parse_from(["shoppable-server", "--currency", "EUR"]);
        let rows = parse_feed(feed.as_bytes(), &config).expect_err("the feed is refused");
        let mut found: Vec<_> = rows.into_iter().map(|r| (r.row, r.column, r.problem)).collect();
        found.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        found
    }

    #[test]
    fn every_row_problem_says_its_kind_for_clients_in_other_languages() {
        let header = "id,title,description,availability,condition,price,sale_price,link,image_link,quantity";
        let feed = format!(
            "{header}\n\
             a,,d,in stock,new,10.00 EUR,,https://s.example/a,https://s.example/a.jpg,1\n\
             b,B,d,maybe,new,ten,,javascript:alert(1),https://s.example/b.jpg,-2\n\
             a,C,d,in stock,new,10.00 USD,,,https://s.example/c.jpg,1\n\
             e,E,d,in stock,new,10.00 EUR,12.00 EUR,,https://s.example/e.jpg,1\n"
        );
        let column = |name: &str| Some(name.to_owned());
        assert_eq!(
            problems(&feed),
            vec![
                (2, column("title"), Some(RowProblem::Required)),
                (3, column("availability"), Some(RowProblem::Availability)),
                (3, column("link"), Some(RowProblem::NotALink)),
                (3, column("price"), Some(RowProblem::NotAPrice)),
                (3, column("quantity"), Some(RowProblem::Quantity)),
                (4, column("id"), Some(RowProblem::RepeatedId)),
                (4, column("price"), Some(RowProblem::WrongCurrency)),
                (5, column("sale_price"), Some(RowProblem::SaleAbovePrice)),
            ]
        );
        let missing = ["availability", "description", "image_link", "price"].map(|name| (1, column(name), Some(RowProblem::MissingColumn)));
        assert_eq!(problems("id,title\n"), missing.to_vec());
        assert_eq!(problems(&format!("{header}\n")), vec![(1, None, Some(RowProblem::NoRows))]);
        // A kind from a newer backend is read as one this version does not know.
        let newer: RowError = serde_json::from_str(r#"{"row": 2, "problem": "too_blue", "message": "too blue"}"#).unwrap();
        assert_eq!(newer.problem, Some(RowProblem::Other));
    }
}
