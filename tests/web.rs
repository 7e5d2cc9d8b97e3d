#![cfg(target_arch = "wasm32")]
//! Browser tests of the widget: real Chromium, real layout (`wasm-pack test --headless --chrome`).

use shoppable::config::{WidgetConfig, WidgetContext};
use shoppable::mount::mount_tags;
use shoppable::tags::{TagView, parse_static_tags};
use shoppable_protocol::{Currency, Money, ProductSummary};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlImageElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A 600x400 photo shown with `style`, loaded and in the document.
async fn photo(style: &str) -> HtmlImageElement {
    let image: HtmlImageElement = document().create_element("img").unwrap().unchecked_into();
    let loaded = js_sys::Promise::new(&mut |resolve, _| image.set_onload(Some(&resolve)));
    image.set_src("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='600' height='400'%3E%3Crect width='600' height='400' fill='%23c96'/%3E%3C/svg%3E");
    image.set_attribute("style", &format!("display:block;{style}")).unwrap();
    document().body().unwrap().append_child(&image).unwrap();
    JsFuture::from(loaded).await.unwrap();
    image
}

/// Lets the widget's reactive updates, which run as tasks, and its layout, done in the next
/// animation frames, reach the DOM.
async fn settle() {
    for _ in 0..2 {
        let frame = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window().unwrap().request_animation_frame(&resolve).unwrap();
        });
        JsFuture::from(frame).await.unwrap();
    }
    let timeout = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).unwrap();
    });
    JsFuture::from(timeout).await.unwrap();
}

fn tag(id: &str, x: f64, y: f64, title: &str, price: Money) -> TagView {
    TagView {
        id: id.into(),
        x,
        y,
        product: ProductSummary { id: id.into(), title: title.into(), price, compare_at_price: None, image_url: None, available: true },
        link: None,
    }
}

fn context(locale: &str) -> WidgetContext {
    WidgetContext::new(WidgetConfig { locale: Some(locale.into()), ..Default::default() })
}

/// The widget's shadow root, next to the image.
fn shadow(image: &HtmlImageElement) -> web_sys::ShadowRoot {
    let host: HtmlElement = image.previous_element_sibling().expect("a widget host before the image").unchecked_into();
    host.shadow_root().expect("an open shadow root")
}

fn all(image: &HtmlImageElement, selector: &str) -> Vec<HtmlElement> {
    let list = shadow(image).query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().unchecked_into()).collect()
}

/// Centre of a tag's dot relative to the image's top-left corner.
fn dot_centre(image: &HtmlImageElement, tag: &Element) -> (f64, f64) {
    let dot = tag.query_selector(".dot").unwrap().unwrap().get_bounding_client_rect();
    let photo = image.get_bounding_client_rect();
    (dot.x() + dot.width() / 2.0 - photo.x(), dot.y() + dot.height() / 2.0 - photo.y())
}

fn assert_near(actual: (f64, f64), expected: (f64, f64)) {
    let close = (actual.0 - expected.0).abs() < 1.0 && (actual.1 - expected.1).abs() < 1.0;
    assert!(close, "tag at {actual:?}, expected {expected:?}");
}

#[wasm_bindgen_test]
async fn tags_sit_on_their_spots_at_every_size() {
    let eur = Money::new(2990, Currency::EUR);
    for width in [300.0, 600.0, 900.0] {
        let image = photo(&format!("width:{width}px;height:auto")).await;
        mount_tags(&image, "p", vec![tag("cup", 0.25, 0.5, "Cup", eur), tag("spoon", 0.75, 0.2, "Spoon", eur)], context("en")).unwrap();
        image.click();
        settle().await;
        let tags = all(&image, "button.tag");
        assert_eq!(tags.len(), 2);
        let height = width * 400.0 / 600.0;
        assert_near(dot_centre(&image, &tags[0]), (0.25 * width, 0.5 * height));
        assert_near(dot_centre(&image, &tags[1]), (0.75 * width, 0.2 * height));
        image.remove();
    }
}

#[wasm_bindgen_test]
async fn tags_follow_object_fit_cover_and_hide_when_cropped() {
    // 600x400 covering 200x200: scaled to 300x200, 50 px cut on each side.
    let image = photo("width:200px;height:200px;object-fit:cover").await;
    let eur = Money::new(100, Currency::EUR);
    mount_tags(&image, "p", vec![tag("centre", 0.5, 0.5, "Centre", eur), tag("edge", 0.05, 0.5, "Edge", eur)], context("en")).unwrap();
    image.click();
    settle().await;
    let tags = all(&image, "button.tag");
    assert_near(dot_centre(&image, &tags[0]), (100.0, 100.0));
    assert!(tags[1].hidden(), "a tag on a cropped-away spot is not shown");
    image.remove();
}

#[wasm_bindgen_test]
async fn tags_follow_the_image_when_it_is_resized() {
    let image = photo("width:300px;height:auto").await;
    mount_tags(&image, "p", vec![tag("cup", 0.5, 0.5, "Cup", Money::new(100, Currency::EUR))], context("en")).unwrap();
    image.click();
    settle().await;
    image.style().set_property("width", "500px").unwrap();
    // ResizeObserver callbacks run before the next paint.
    for _ in 0..3 {
        let frame = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window().unwrap().request_animation_frame(&resolve).unwrap();
        });
        JsFuture::from(frame).await.unwrap();
    }
    let tags = all(&image, "button.tag");
    assert_near(dot_centre(&image, &tags[0]), (250.0, 500.0 * 400.0 / 600.0 / 2.0));
    image.remove();
}

#[wasm_bindgen_test]
fn a_language_the_widget_does_not_speak_gives_english_words_and_formats() {
    let dutch = context("nl-NL");
    assert_eq!((dutch.lang, dutch.locale.as_str()), (shoppable::i18n::Lang::En, "en"));
    let german = context("de-AT");
    assert_eq!((german.lang, german.locale.as_str()), (shoppable::i18n::Lang::De, "de-AT"));
}

#[wasm_bindgen_test]
async fn tags_have_accessible_names_with_locale_prices() {
    let cases = [
        ("fr-FR", Money::new(2990, Currency::EUR), "Tasse, 29,90\u{a0}€"),
        ("en-US", Money::new(2990, Currency::EUR), "Tasse, €29.90"),
        ("fr-FR", Money::new(4900, Currency::USD), "Tasse, 49,00\u{a0}$US"),
        ("en-US", Money::new(4900, Currency::USD), "Tasse, $49.00"),
        // Each language's own grouping and decimal marks (Chromium groups Spanish and Italian
        // from five digits).
        ("de-DE", Money::new(123450, Currency::EUR), "Tasse, 1.234,50\u{a0}€"),
        ("es-ES", Money::new(123450, Currency::EUR), "Tasse, 1234,50\u{a0}€"),
        ("it-IT", Money::new(123450, Currency::EUR), "Tasse, 1234,50\u{a0}€"),
        ("de", Money::new(1490, Currency::EUR), "Tasse, 14,90\u{a0}€"),
    ];
    for (locale, price, expected) in cases {
        let image = photo("width:300px").await;
        mount_tags(&image, "p", vec![tag("cup", 0.5, 0.5, "Tasse", price)], context(locale)).unwrap();
        image.click();
        settle().await;
        // The tag's accessible name is its text.
        let label = all(&image, "button.tag")[0].text_content().unwrap();
        assert_eq!(label.replace('\u{202f}', "\u{a0}"), expected, "{locale}");
        image.remove();
    }
}

#[wasm_bindgen_test]
async fn a_tap_on_the_photo_reveals_and_hides_the_tags() {
    let image = photo("width:300px").await;
    mount_tags(&image, "p", vec![tag("cup", 0.5, 0.5, "Cup", Money::new(100, Currency::EUR))], context("fr")).unwrap();
    settle().await;
    let bag = all(&image, "button.bag").remove(0);
    assert_eq!(bag.get_attribute("aria-expanded").as_deref(), Some("false"));
    assert_eq!(bag.get_attribute("aria-label").as_deref(), Some("Afficher les produits"));
    // Before the tap the photo shows its bag button only: its tags are not even drawn.
    assert!(all(&image, "button.tag").is_empty(), "no tags before the first tap");
    image.click();
    settle().await;
    // The overlay drawn by the tap has its own bag button, in the first one's place.
    let bag = all(&image, "button.bag").remove(0);
    assert_eq!(bag.get_attribute("aria-expanded").as_deref(), Some("true"));
    assert!(all(&image, ".overlay.revealed").len() == 1);
    assert_eq!(all(&image, "button.tag").len(), 1, "the tap draws the tags");
    image.click();
    settle().await;
    assert_eq!(bag.get_attribute("aria-expanded").as_deref(), Some("false"));
    assert_eq!(all(&image, "button.bag").len(), 1);
    image.remove();
}

#[wasm_bindgen_test]
async fn static_tags_open_a_card_that_links_out_and_escape_returns_focus() {
    let (tags, problems) =
        parse_static_tags(r#"[{"x":0.3,"y":0.6,"title":"Lampe <b>laiton</b>","price":"49.00 EUR","url":"https://shop.example/lampe"}]"#);
    assert!(problems.is_empty(), "{problems:?}");
    let image = photo("width:400px").await;
    mount_tags(&image, "static", tags, context("fr")).unwrap();
    // Shown once sized, in the task after the next frame: a hidden button takes no focus.
    settle().await;
    // From the keyboard: the photo's bag button is the way to its tags.
    assert!(all(&image, "button.tag").is_empty(), "no tags before the first reveal");
    all(&image, "button.bag")[0].focus().unwrap();
    settle().await;
    let tag = all(&image, "button.tag").remove(0);
    tag.focus().unwrap();
    tag.click();
    settle().await;
    assert_eq!(tag.get_attribute("aria-expanded").as_deref(), Some("true"));
    let card = all(&image, "[role=dialog]").remove(0);
    // Text from a page or backend is shown as text, never parsed as HTML.
    assert_eq!(card.query_selector("h2").unwrap().unwrap().text_content().unwrap(), "Lampe <b>laiton</b>");
    let link = card.query_selector("a.link-out").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("https://shop.example/lampe"));
    assert_eq!(link.text_content().as_deref(), Some("Voir le produit"));
    let focused = shadow(&image).active_element().unwrap();
    assert_eq!(focused.get_attribute("aria-label").as_deref(), Some("Fermer"), "focus moves into the card");

    let escape = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &{
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("Escape");
        init.set_bubbles(true);
        init
    })
    .unwrap();
    focused.dispatch_event(&escape).unwrap();
    settle().await;
    assert!(all(&image, "[role=dialog]").is_empty(), "Escape closes the card");
    assert_eq!(tag.get_attribute("aria-expanded").as_deref(), Some("false"));
    let focused = shadow(&image).active_element().unwrap();
    assert!(js_sys::Object::is(&focused, &tag), "focus returns to the tag");
    image.remove();
}

#[wasm_bindgen_test]
async fn a_hostile_page_stylesheet_changes_nothing_in_the_widget() {
    let hostile = document().create_element("style").unwrap();
    hostile.set_text_content(Some(
        "button { display: none !important } * { font-size: 40px !important; line-height: 5 !important } \
         div, span { padding: 30px !important; margin: 20px !important } .tag { opacity: .2 }",
    ));
    document().head().unwrap().append_child(&hostile).unwrap();
    let page_tag: HtmlElement = document().create_element("span").unwrap().unchecked_into();
    page_tag.set_class_name("tag");
    document().body().unwrap().append_child(&page_tag).unwrap();

    let image = photo("width:400px;height:auto").await;
    mount_tags(&image, "p", vec![tag("cup", 0.25, 0.5, "Cup", Money::new(2990, Currency::EUR))], context("en")).unwrap();
    image.click();
    settle().await;
    let tags = all(&image, "button.tag");
    let window = web_sys::window().unwrap();
    let style = window.get_computed_style(&tags[0]).unwrap().unwrap();
    assert_ne!(style.get_property_value("display").unwrap(), "none", "page rules do not hide the widget's buttons");
    let label = tags[0].query_selector(".label").unwrap().unwrap();
    let label_style = window.get_computed_style(&label).unwrap().unwrap();
    assert_eq!(label_style.get_property_value("font-size").unwrap(), "13px", "page font sizes do not leak in");
    assert_near(dot_centre(&image, &tags[0]), (100.0, 400.0 * 400.0 / 600.0 / 2.0));
    assert!(all(&image, "button.bag")[0].get_bounding_client_rect().width() > 0.0);
    // And the widget's own styles do not leak out onto the page's `.tag`.
    let page_style = window.get_computed_style(&page_tag).unwrap().unwrap();
    assert_eq!(page_style.get_property_value("opacity").unwrap(), "0.2");
    hostile.remove();
    page_tag.remove();
    image.remove();
}

fn variant(id: &str, size: &str, available: bool, stock: u32) -> shoppable_protocol::Variant {
    shoppable_protocol::Variant {
        id: id.into(),
        title: size.into(),
        option_values: vec![size.into()],
        price: Money::new(3500, Currency::EUR),
        compare_at_price: Some(Money::new(4500, Currency::EUR)),
        available,
        stock: Some(stock),
        image_url: None,
    }
}

#[wasm_bindgen_test]
async fn the_card_disables_sold_out_variants_and_raises_add_to_bag() {
    use leptos::prelude::*;
    use shoppable::card::ProductDetails;
    let product = shoppable_protocol::Product {
        id: "tee".into(),
        title: "T-shirt".into(),
        description: String::new(),
        brand: None,
        url: Some("javascript:alert(1)".into()),
        images: vec![],
        options: vec![shoppable_protocol::ProductOption { name: "size".into(), values: vec!["S".into(), "M".into(), "L".into()] }],
        variants: vec![variant("tee-s", "S", false, 0), variant("tee-m", "M", true, 2), variant("tee-l", "L", true, 40)],
    };
    let parent: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&parent).unwrap();
    let events: web_sys::EventTarget = parent.clone().into();
    let received = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let listener = {
        let received = received.clone();
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
            received.borrow_mut().push(js_sys::JSON::stringify(&event.detail()).unwrap().into());
        })
    };
    parent.add_event_listener_with_callback("shoppable:added-to-bag", listener.as_ref().unchecked_ref()).unwrap();
    // A backend that is not there: the bag works without it (prices come later, from a quote).
    let ctx =
        WidgetContext::new(WidgetConfig { locale: Some("fr-FR".into()), api: Some("http://127.0.0.1:9/".into()), ..Default::default() });
    let _view = leptos::mount::mount_to(parent.clone(), move || {
        provide_context(ctx);
        view! { <ProductDetails product=product image=StoredValue::new_local(events) /> }
    });
    settle().await;
    let choices = parent.query_selector_all("button.choice").unwrap();
    let choice = |i: u32| -> HtmlElement { choices.item(i).unwrap().unchecked_into() };
    assert_eq!(choices.length(), 3);
    assert!(choice(0).has_attribute("disabled"), "sold-out size S is disabled");
    assert_eq!(choice(1).get_attribute("aria-pressed").as_deref(), Some("true"), "opens on the first available size");
    let text = parent.text_content().unwrap().replace(['\u{202f}', '\u{a0}'], " ");
    assert!(text.contains("35,00 €"), "{text}");
    assert!(text.contains("Plus que 2 en stock"), "{text}");
    let struck = parent.query_selector("s.compare-at").unwrap().unwrap().text_content().unwrap();
    assert_eq!(struck.replace(['\u{202f}', '\u{a0}'], " "), "45,00 €");
    assert!(parent.query_selector("a.product-link").unwrap().is_none(), "a javascript: link is never shown");

    choice(2).click();
    settle().await;
    assert_eq!(choice(2).get_attribute("aria-pressed").as_deref(), Some("true"));
    assert!(!parent.text_content().unwrap().contains("Plus que"), "no stock hint when stock is plentiful");
    let add: HtmlElement = parent.query_selector("button[part=add-to-bag]").unwrap().unwrap().unchecked_into();
    add.click();
    settle().await;
    let details: Vec<serde_json::Value> = received.borrow().iter().map(|text| serde_json::from_str(text).unwrap()).collect();
    assert_eq!(details, [serde_json::json!({"productId": "tee", "variantId": "tee-l", "quantity": 1})]);
    assert!(parent.text_content().unwrap().contains("Ajouté au panier"));
    // The bag is saved for the checkout module and the next pages (the badge is the
    // checkout's, tested end to end with the loader).
    let stored =
        web_sys::window().unwrap().local_storage().unwrap().unwrap().get_item("shoppable:bag:http://127.0.0.1:9").unwrap().unwrap();
    assert!(stored.contains(r#""variant_id":"tee-l""#), "{stored}");
    parent.remove();
}

#[wasm_bindgen_test]
fn posts_publish_schema_org_products() {
    let post: shoppable_protocol::Post = serde_json::from_str(
        r#"{"id":"look","image":{"url":"/a.jpg","width":10,"height":10},"tags":[{"id":"t1","x":0.5,"y":0.5,
            "product":{"id":"mug","title":"Mug </script><b>","price":{"amount":1290,"currency":"EUR"},"image_url":"/mug.jpg","available":false}}]}"#,
    )
    .unwrap();
    let post = shoppable_protocol::PhotoPost::from(post);
    let json: serde_json::Value =
        serde_json::from_str(&shoppable::structured_data::post_json_ld(&post, "https://blog.example/post.html")).unwrap();
    let product = &json["@graph"][0];
    assert_eq!(product["@type"], "Product");
    assert_eq!(product["offers"]["price"], "12.90");
    assert_eq!(product["offers"]["priceCurrency"], "EUR");
    assert_eq!(product["offers"]["availability"], "https://schema.org/OutOfStock");
    assert_eq!(product["image"], "https://blog.example/mug.jpg");
    shoppable::structured_data::publish(&document(), &post).unwrap();
    shoppable::structured_data::publish(&document(), &post).unwrap();
    let scripts = document().query_selector_all("head script[type='application/ld+json']").unwrap();
    assert_eq!(scripts.length(), 1, "publishing again replaces the post's script");
    let text = scripts.item(0).unwrap().text_content().unwrap();
    assert!(!text.contains("</script>"), "the JSON cannot close its script element");
}

#[wasm_bindgen_test]
fn reads_static_tags_and_refuses_bad_ones_with_a_reason() {
    let json = r#"[
        {"x":0.31,"y":0.62,"title":"Lampe","price":"49.00 EUR","url":"https://shop.example/lampe"},
        {"x":0.5,"y":0.5,"title":"Bad","price":"49.00 EUR","url":"javascript:alert(1)"},
        {"x":1.5,"y":0.5,"title":"Off","price":"1 EUR","url":"/p"},
        {"x":0.2,"y":0.2,"title":"Cheap","price":"12,00 EUR","url":"/p"}
    ]"#;
    let (tags, problems) = parse_static_tags(json);
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].product.title, "Lampe");
    assert_eq!(tags[0].product.price.amount, 4900);
    assert_eq!(tags[0].link.as_deref(), Some("https://shop.example/lampe"));
    assert_eq!(problems.len(), 3);
    assert!(problems[0].starts_with("tag 2: url"), "{problems:?}");
    assert!(problems[1].contains("fractions"), "{problems:?}");
    assert!(problems[2].contains("12,00 EUR"), "{problems:?}");
}

#[wasm_bindgen_test]
fn refuses_json_that_is_not_a_list() {
    let (tags, problems) = parse_static_tags("{oops");
    assert!(tags.is_empty());
    assert_eq!(problems.len(), 1);
}

#[wasm_bindgen_test]
fn a_damaged_stored_bag_is_cleaned() {
    use shoppable::bag::Bag;
    use shoppable_protocol::MAX_QUANTITY;
    assert_eq!(Bag::from_json("not json"), Bag::default());
    let bag = Bag::from_json(
        r#"{"lines":[{"variant_id":"","product_id":"p","title":"x","quantity":1},
        {"variant_id":"a","product_id":"p","title":"x","quantity":1000},{"variant_id":"b","product_id":"p","title":"x","quantity":0}]}"#,
    );
    assert_eq!(bag.lines.len(), 1);
    assert_eq!(bag.lines[0].quantity, MAX_QUANTITY);
}

#[wasm_bindgen_test]
fn a_bag_saved_before_lines_had_posts_still_loads_and_posts_round_trip() {
    use shoppable::bag::Bag;
    let old =
        Bag::from_json(r#"{"lines":[{"variant_id":"a","product_id":"p","title":"x","variant_title":"","image_url":null,"quantity":2}]}"#);
    assert_eq!((old.lines.len(), old.lines[0].quantity, old.lines[0].post_id.as_deref()), (1, 2, None));
    let with_post = Bag::from_json(r#"{"lines":[{"variant_id":"a","product_id":"p","title":"x","quantity":1,"post_id":"look-1"}]}"#);
    assert_eq!(with_post.line_requests()[0].post_id.as_deref(), Some("look-1"));
}

/// A post's `media` as the backend sends it (protocol 1.2).
fn media_json(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
fn media_are_read_with_their_tags_and_unsafe_links_left_out() {
    use shoppable::media::{photo_tags, read_media, video_tags};
    let media = media_json(
        r#"[
        {"type": "photo", "image": {"url": "/a.png", "width": 10, "height": 10, "alt": ""}, "tags": [
            {"id": "1", "x": 0.5, "y": 0.5, "product": {"id": "lampe", "title": "Lampe", "price": {"amount": 4900, "currency": "EUR"}, "available": true}},
            {"id": "2", "x": 0.2, "y": 0.2, "link": {"title": "Tapis", "price": {"amount": 100, "currency": "EUR"}, "url": "https://other.example/tapis"}},
            {"id": "3", "x": 0.3, "y": 0.3, "link": {"title": "Piège", "price": {"amount": 100, "currency": "EUR"}, "url": "javascript:alert(1)"}}
        ]},
        {"type": "hologram", "image": {"url": "/b.png", "width": 10, "height": 10}, "tags": []},
        {"type": "video", "image": {"url": "/p.jpg", "width": 16, "height": 9, "alt": "Essayage"}, "video": {"url": "/v.webm"}, "tags": [
            {"id": "4", "start": 0, "end": 2, "x": 0.4, "y": 0.6, "product": {"id": "tasse", "title": "Tasse", "price": {"amount": 1490, "currency": "EUR"}, "available": true}},
            {"id": "5", "start": 1, "end": 5, "product": {"id": "lampe", "title": "Lampe", "price": {"amount": 4900, "currency": "EUR"}, "available": true}}
        ]}
    ]"#,
    );
    let media = read_media(&media, None);
    assert_eq!(media.len(), 2, "a medium of an unknown type is skipped");
    assert_eq!((media[0].0, media[1].0), (Some(0), Some(2)), "each keeps its index in the post, for its insights");
    let tags = photo_tags(&media[0].1);
    assert_eq!(tags.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["1", "2"], "a link out that is not http(s) is left out");
    assert_eq!((tags[0].link.as_deref(), tags[1].link.as_deref()), (None, Some("https://other.example/tapis")));
    let video = video_tags(&media[1].1);
    assert_eq!(video.iter().map(|t| (t.placed, t.start, t.end)).collect::<Vec<_>>(), [(true, 0.0, 2.0), (false, 1.0, 5.0)]);
}

#[wasm_bindgen_test]
fn a_video_draws_its_placed_tags_during_their_range_only() {
    use shoppable::media::{VideoTag, shown_at};
    let at = |placed, start, end| VideoTag {
        tag: tag("t", 0.5, 0.5, "Lampe", Money { amount: 4900, currency: Currency::EUR }),
        placed,
        start,
        end,
    };
    let tags = [at(true, 0.0, 2.0), at(true, 1.5, 4.0), at(false, 0.0, 10.0)];
    assert_eq!(shown_at(&tags, 0.0), [0]);
    assert_eq!(shown_at(&tags, 1.7), [0, 1]);
    assert_eq!(shown_at(&tags, 2.0), [1], "a tag goes at its end");
    assert_eq!(shown_at(&tags, 4.5), Vec::<usize>::new(), "a tag without a point is never drawn");
}

#[wasm_bindgen_test]
fn a_slide_of_a_host_carousel_finds_its_medium_by_address() {
    use shoppable::media::{medium_for, read_media};
    use shoppable_protocol::MediaKind;
    let media = read_media(
        &media_json(
            r#"[{"type": "photo", "image": {"url": "https://shop.example/a.png", "width": 1, "height": 1}, "tags": []},
                {"type": "photo", "image": {"url": "https://shop.example/b.png", "width": 1, "height": 1}, "tags": []}]"#,
        ),
        None,
    );
    let found = |address: &str| medium_for(&media, MediaKind::Photo, &[address.to_owned()]).map(|(_, m)| m.image.url.clone());
    assert_eq!(found("https://shop.example/b.png").as_deref(), Some("https://shop.example/b.png"));
    assert_eq!(found("https://blog.example/other.png").as_deref(), Some("https://shop.example/a.png"), "else the first photo");
    assert!(medium_for(&media, MediaKind::Video, &[]).is_none());
    let single = read_media(&media_json(r#"[{"type": "photo", "image": {"url": "/a.png", "width": 1, "height": 1}, "tags": []}]"#), None);
    assert_eq!(single[0].0, None, "the one medium of a post names none in its insights");
}
