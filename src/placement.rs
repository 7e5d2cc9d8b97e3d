//! Where a tag at fractional (x, y) of a photo lands on screen, whatever the image's size,
//! `object-fit` and `object-position`. Pure geometry, so it is tested natively.

/// A rectangle in CSS pixels, relative to the image element's content box.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// The CSS `object-fit` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectFit {
    Fill,
    Contain,
    Cover,
    None,
    ScaleDown,
}

impl ObjectFit {
    pub fn parse(css: &str) -> ObjectFit {
        match css.trim() {
            "contain" => ObjectFit::Contain,
            "cover" => ObjectFit::Cover,
            "none" => ObjectFit::None,
            "scale-down" => ObjectFit::ScaleDown,
            _ => ObjectFit::Fill,
        }
    }
}

/// One axis of `object-position`: a fraction of the free space, plus a length in pixels
/// (`calc(25% + 10px)` is `{ fraction: 0.25, pixels: 10.0 }`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Offset {
    pub fraction: f64,
    pub pixels: f64,
}

impl Offset {
    pub const CENTER: Offset = Offset { fraction: 0.5, pixels: 0.0 };

    fn resolve(self, free_space: f64) -> f64 {
        self.fraction * free_space + self.pixels
    }
}

/// Parses the computed value of `object-position` (`50% 50%`, `0px 10px`, `left top`...).
pub fn parse_object_position(css: &str) -> (Offset, Offset) {
    let mut parts = css.split_whitespace().map(parse_offset);
    let x = parts.next().flatten().unwrap_or(Offset::CENTER);
    let y = parts.next().flatten().unwrap_or(Offset::CENTER);
    (x, y)
}

fn parse_offset(token: &str) -> Option<Offset> {
    let keyword = |fraction| Some(Offset { fraction, pixels: 0.0 });
    match token {
        "left" | "top" => keyword(0.0),
        "center" => keyword(0.5),
        "right" | "bottom" => keyword(1.0),
        _ => {
            if let Some(percent) = token.strip_suffix('%') {
                percent.parse::<f64>().ok().map(|p| Offset { fraction: p / 100.0, pixels: 0.0 })
            } else {
                let pixels = token.strip_suffix("px").unwrap_or(token).parse::<f64>().ok()?;
                Some(Offset { fraction: 0.0, pixels })
            }
        }
    }
}

/// The rectangle the photo's pixels are painted in, inside a content box of
/// `box_width` x `box_height`, for a photo of `natural_width` x `natural_height`.
/// With `cover` it is larger than the box (the overflow is clipped).
pub fn painted_rect(
    box_width: f64,
    box_height: f64,
    natural_width: f64,
    natural_height: f64,
    fit: ObjectFit,
    position: (Offset, Offset),
) -> Rect {
    if natural_width <= 0.0 || natural_height <= 0.0 {
        return Rect { x: 0.0, y: 0.0, width: box_width, height: box_height };
    }
    let contain = (box_width / natural_width).min(box_height / natural_height);
    let scale = match fit {
        ObjectFit::Fill => return Rect { x: 0.0, y: 0.0, width: box_width, height: box_height },
        ObjectFit::Contain => contain,
        ObjectFit::Cover => (box_width / natural_width).max(box_height / natural_height),
        ObjectFit::None => 1.0,
        ObjectFit::ScaleDown => contain.min(1.0),
    };
    let (width, height) = (natural_width * scale, natural_height * scale);
    Rect {
        x: position.0.resolve(box_width - width),
        y: position.1.resolve(box_height - height),
        width,
        height,
    }
}

/// The point for a tag at fractions (`fx`, `fy`) of the photo, or `None` when that point
/// is cropped away (outside the visible box).
pub fn tag_point(painted: Rect, box_width: f64, box_height: f64, fx: f64, fy: f64) -> Option<(f64, f64)> {
    let x = painted.x + fx * painted.width;
    let y = painted.y + fy * painted.height;
    let visible = (0.0..=box_width).contains(&x) && (0.0..=box_height).contains(&y);
    visible.then_some((x, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CENTER: (Offset, Offset) = (Offset::CENTER, Offset::CENTER);

    #[test]
    fn fill_stretches_the_photo_over_the_box() {
        let rect = painted_rect(300.0, 100.0, 600.0, 400.0, ObjectFit::Fill, CENTER);
        assert_eq!(tag_point(rect, 300.0, 100.0, 0.5, 0.25), Some((150.0, 25.0)));
    }

    #[test]
    fn cover_crops_and_hides_tags_outside() {
        // A 600x400 photo covering a 200x200 box is scaled to 300x200 and centred: 50 px
        // are cut on each side.
        let rect = painted_rect(200.0, 200.0, 600.0, 400.0, ObjectFit::Cover, CENTER);
        assert_eq!(rect, Rect { x: -50.0, y: 0.0, width: 300.0, height: 200.0 });
        assert_eq!(tag_point(rect, 200.0, 200.0, 0.5, 0.5), Some((100.0, 100.0)));
        assert_eq!(tag_point(rect, 200.0, 200.0, 0.05, 0.5), None);
    }

    #[test]
    fn contain_letterboxes() {
        let rect = painted_rect(300.0, 300.0, 600.0, 400.0, ObjectFit::Contain, CENTER);
        assert_eq!(rect, Rect { x: 0.0, y: 50.0, width: 300.0, height: 200.0 });
    }

    #[test]
    fn object_position_moves_the_crop() {
        let position = parse_object_position("0% 100%");
        let rect = painted_rect(200.0, 200.0, 600.0, 400.0, ObjectFit::Cover, position);
        assert_eq!(rect.x, 0.0);
        let position = parse_object_position("right 10px");
        let rect = painted_rect(200.0, 200.0, 600.0, 400.0, ObjectFit::Cover, position);
        assert_eq!((rect.x, rect.y), (-100.0, 10.0));
    }

    #[test]
    fn scale_down_never_enlarges() {
        let rect = painted_rect(1200.0, 800.0, 600.0, 400.0, ObjectFit::ScaleDown, CENTER);
        assert_eq!(rect, Rect { x: 300.0, y: 200.0, width: 600.0, height: 400.0 });
    }
}
