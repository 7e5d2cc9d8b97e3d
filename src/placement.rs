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
                crate::css::number(percent).map(|p| Offset { fraction: p / 100.0, pixels: 0.0 })
            } else {
                let pixels = crate::css::number(token.strip_suffix("px").unwrap_or(token))?;
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
    Rect { x: position.0.resolve(box_width - width), y: position.1.resolve(box_height - height), width, height }
}

/// The point for a tag at fractions (`fx`, `fy`) of the photo, or `None` when that point
/// is cropped away (outside the visible box).
pub fn tag_point(painted: Rect, box_width: f64, box_height: f64, fx: f64, fy: f64) -> Option<(f64, f64)> {
    let x = painted.x + fx * painted.width;
    let y = painted.y + fy * painted.height;
    let visible = (0.0..=box_width).contains(&x) && (0.0..=box_height).contains(&y);
    visible.then_some((x, y))
}

impl Rect {
    fn right(&self) -> f64 {
        self.x + self.width
    }

    fn bottom(&self) -> f64 {
        self.y + self.height
    }

    /// The area shared with `other` (zero when they do not meet).
    fn overlap(&self, other: &Rect) -> f64 {
        let width = self.right().min(other.right()) - self.x.max(other.x);
        let height = self.bottom().min(other.bottom()) - self.y.max(other.y);
        width.max(0.0) * height.max(0.0)
    }

    /// The area of this rectangle outside `area`.
    fn outside(&self, area: &Rect) -> f64 {
        self.width * self.height - self.overlap(area)
    }

    /// The part of both rectangles (empty when they do not meet).
    pub fn intersection(&self, other: &Rect) -> Rect {
        let (x, y) = (self.x.max(other.x), self.y.max(other.y));
        Rect { x, y, width: (self.right().min(other.right()) - x).max(0.0), height: (self.bottom().min(other.bottom()) - y).max(0.0) }
    }
}

/// Half the side of a tag's touch target (44 px, as touch guidelines ask).
pub const TOUCH_RADIUS: f64 = 22.0;
/// From a tag's point to the near edge of its label (the dot's radius and a gap).
const LABEL_GAP: f64 = 16.0;
/// A label is never shortened below this width (then it may overlap).
const MIN_LABEL_WIDTH: f64 = 72.0;

/// Where a label goes around its dot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Right,
    Left,
    Below,
    Above,
}

/// A label's box relative to its tag's point, and the width it is shortened to (with an
/// ellipsis) when it fits nowhere whole.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelPlacement {
    pub side: Side,
    pub rect: Rect,
    pub shortened_to: Option<f64>,
}

/// How far a label may slide along its side of the dot, as fractions of its length: centred
/// first, then off-centre (the dot still touches it).
const SHIFTS: [f64; 3] = [0.0, -0.4, 0.4];

/// The label box of size `width` x `height` on `side` of the point (`x`, `y`), slid by
/// `shift` of its length along that side, then into `area` where it can.
fn label_rect(side: Side, (x, y): (f64, f64), (width, height): (f64, f64), shift: f64, area: &Rect) -> Rect {
    let slide = |start: f64, length: f64, min: f64, max: f64| start.min(max - length).max(min);
    let across = slide(y - height / 2.0 + shift * height, height, area.y, area.bottom());
    let along = slide(x - width / 2.0 + shift * width, width, area.x, area.right());
    let (left, top) = match side {
        Side::Right => (x + LABEL_GAP, across),
        Side::Left => (x - LABEL_GAP - width, across),
        Side::Below => (along, y + LABEL_GAP),
        Side::Above => (along, y - LABEL_GAP - height),
    };
    Rect { x: left, y: top, width, height }
}

/// Places the labels of tags at `points` (`None`: not shown) with natural `sizes` so that
/// they stay inside `area` (the visible photo) and cover neither each other, nor any tag's
/// touch target, nor the `obstacles` (the bag button): each label takes the first side that
/// fits (beside the dot, towards the photo's centre first, then the other side, below,
/// above, as Instagram does), and is shortened only when no side fits whole. Positions are
/// relative to each tag's point.
pub fn place_labels(points: &[Option<(f64, f64)>], sizes: &[(f64, f64)], area: Rect, obstacles: &[Rect]) -> Vec<Option<LabelPlacement>> {
    let targets: Vec<Rect> = points
        .iter()
        .flatten()
        .map(|&(x, y)| Rect { x: x - TOUCH_RADIUS, y: y - TOUCH_RADIUS, width: 2.0 * TOUCH_RADIUS, height: 2.0 * TOUCH_RADIUS })
        .chain(obstacles.iter().copied())
        .collect();
    let mut placed: Vec<Rect> = Vec::new();
    let mut result = Vec::with_capacity(points.len());
    for (index, point) in points.iter().enumerate() {
        let (Some(point), Some(&size)) = (*point, sizes.get(index)) else {
            result.push(None);
            continue;
        };
        let own = Rect { x: point.0 - TOUCH_RADIUS, y: point.1 - TOUCH_RADIUS, width: 2.0 * TOUCH_RADIUS, height: 2.0 * TOUCH_RADIUS };
        let cost = |rect: &Rect| {
            let others: f64 = targets.iter().filter(|t| **t != own).chain(placed.iter()).map(|t| rect.overlap(t)).sum();
            others + rect.outside(&area)
        };
        let sides = if point.0 - area.x < area.width / 2.0 {
            [Side::Right, Side::Left, Side::Below, Side::Above]
        } else {
            [Side::Left, Side::Right, Side::Below, Side::Above]
        };
        // Whole, on the first side that fits; else shortened, on the first side where that
        // fits; else the side where it covers the least.
        let mut widths = vec![size.0];
        let mut width = size.0 * 0.8;
        while width > MIN_LABEL_WIDTH {
            widths.push(width);
            width *= 0.8;
        }
        widths.push(MIN_LABEL_WIDTH.min(size.0));
        let candidates = |width: f64| {
            sides.into_iter().flat_map(move |side| SHIFTS.map(|shift| (side, label_rect(side, point, (width, size.1), shift, &area))))
        };
        let fitting =
            widths.iter().find_map(|&width| candidates(width).find(|(_, rect)| cost(rect) < 0.5).map(|(side, rect)| (side, rect, width)));
        let (side, rect, width) = fitting.unwrap_or_else(|| {
            let least = candidates(size.0).min_by(|a, b| cost(&a.1).total_cmp(&cost(&b.1)));
            let (side, rect) = least.unwrap_or((sides[0], label_rect(sides[0], point, size, 0.0, &area)));
            (side, rect, size.0)
        });
        placed.push(rect);
        let relative = Rect { x: rect.x - point.0, y: rect.y - point.1, ..rect };
        result.push(Some(LabelPlacement { side, rect: relative, shortened_to: (width < size.0).then_some(width) }));
    }
    result
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

    fn absolute(points: &[Option<(f64, f64)>], placed: &[Option<LabelPlacement>]) -> Vec<Rect> {
        points
            .iter()
            .zip(placed)
            .filter_map(|(p, l)| Some((p.as_ref()?, l.as_ref()?)))
            .map(|(p, l)| Rect { x: p.0 + l.rect.x, y: p.1 + l.rect.y, ..l.rect })
            .collect()
    }

    /// No label covers another or another tag's touch target, and all stay in `area`.
    fn assert_clear(points: &[Option<(f64, f64)>], placed: &[Option<LabelPlacement>], area: Rect) {
        let labels = absolute(points, placed);
        for (i, a) in labels.iter().enumerate() {
            assert!(a.outside(&area) < 0.5, "label {i} leaves the photo: {a:?}");
            for b in &labels[i + 1..] {
                assert!(a.overlap(b) < 0.5, "labels overlap: {a:?} {b:?}");
            }
        }
        let shown: Vec<(f64, f64)> = points.iter().flatten().copied().collect();
        for (i, label) in labels.iter().enumerate() {
            for (j, p) in shown.iter().enumerate().filter(|(j, _)| *j != i) {
                let target = Rect { x: p.0 - TOUCH_RADIUS, y: p.1 - TOUCH_RADIUS, width: 44.0, height: 44.0 };
                assert!(label.overlap(&target) < 0.5, "label {i} covers tag {j}");
            }
        }
    }

    #[test]
    fn labels_go_beside_their_dot_towards_the_middle() {
        let area = Rect { x: 0.0, y: 0.0, width: 600.0, height: 400.0 };
        let points = [Some((100.0, 100.0)), Some((500.0, 300.0))];
        let placed = place_labels(&points, &[(150.0, 36.0), (150.0, 36.0)], area, &[]);
        assert_eq!(placed[0].unwrap().side, Side::Right);
        assert_eq!(placed[1].unwrap().side, Side::Left);
        assert_eq!(placed[0].unwrap().rect, Rect { x: 16.0, y: -18.0, width: 150.0, height: 36.0 });
        assert!(placed.iter().all(|p| p.unwrap().shortened_to.is_none()));
    }

    #[test]
    fn the_coffee_photo_has_no_overlap_from_desktop_to_phone() {
        // The demo's coffee post: cup, coffee, saucer and spoon, with labels as measured in
        // Chromium (title on one line, price below).
        let fractions = [(0.45, 0.55), (0.48, 0.36), (0.18, 0.72), (0.61, 0.72)];
        let sizes = [(176.0, 36.0), (171.0, 36.0), (127.0, 36.0), (164.0, 36.0)];
        for width in [600.0, 450.0, 350.0, 300.0] {
            let height = width * 400.0 / 600.0;
            let area = Rect { x: 0.0, y: 0.0, width, height };
            let points: Vec<_> = fractions.iter().map(|(x, y)| Some((x * width, y * height))).collect();
            let placed = place_labels(&points, &sizes, area, &[]);
            assert_clear(&points, &placed, area);
        }
    }

    #[test]
    fn labels_keep_off_the_obstacles() {
        let area = Rect { x: 0.0, y: 0.0, width: 400.0, height: 300.0 };
        let bag = Rect { x: 10.0, y: 260.0, width: 30.0, height: 30.0 };
        let points = [Some((30.0, 240.0))];
        let placed = place_labels(&points, &[(120.0, 36.0)], area, &[bag]);
        let label = placed[0].unwrap().rect;
        assert!(Rect { x: 30.0 + label.x, y: 240.0 + label.y, ..label }.overlap(&bag) < 0.5, "{label:?}");
    }

    #[test]
    fn a_label_that_fits_nowhere_whole_is_shortened() {
        let area = Rect { x: 0.0, y: 0.0, width: 200.0, height: 60.0 };
        let points = [Some((100.0, 30.0))];
        let placed = place_labels(&points, &[(170.0, 36.0)], area, &[]);
        let label = placed[0].unwrap();
        assert!(label.shortened_to.is_some_and(|w| w <= 84.0), "{label:?}");
        assert_clear(&points, &placed, area);
    }

    #[test]
    fn hidden_tags_get_no_label_and_block_nothing() {
        let area = Rect { x: 0.0, y: 0.0, width: 300.0, height: 200.0 };
        let points = [None, Some((40.0, 100.0))];
        let placed = place_labels(&points, &[(100.0, 36.0), (100.0, 36.0)], area, &[]);
        assert_eq!(placed[0], None);
        assert_eq!(placed[1].unwrap().side, Side::Right);
    }

    #[test]
    fn scale_down_never_enlarges() {
        let rect = painted_rect(1200.0, 800.0, 600.0, 400.0, ObjectFit::ScaleDown, CENTER);
        assert_eq!(rect, Rect { x: 300.0, y: 200.0, width: 600.0, height: 400.0 });
    }
}
