<?php
/**
 * What visitors get: shoppable Image blocks and `[shoppable]` shortcodes are marked for the
 * widget, and the widget's loader is added, once and deferred, to the pages that have one.
 *
 * @package Shoppable
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

add_filter( 'render_block', 'shoppable_render_image_block', 10, 2 );
add_filter( 'script_loader_tag', 'shoppable_loader_tag', 10, 2 );
add_action( 'init', 'shoppable_register_shortcode' );

/**
 * Marks the photo of a shoppable Image block: `data-shoppable-post` (a post of the backend)
 * or `data-shoppable-tags` (static tags), and enqueues the loader.
 *
 * @param string $content The block's HTML.
 * @param array  $block   The parsed block.
 * @return string
 */
function shoppable_render_image_block( $content, $block ) {
	if ( 'core/image' !== ( $block['blockName'] ?? '' ) ) {
		return $content;
	}
	$attributes = $block['attrs'] ?? array();
	$marks      = array();
	if ( ! empty( $attributes['shoppablePost'] ) && is_string( $attributes['shoppablePost'] ) ) {
		if ( '' !== shoppable_backend_url() ) {
			$marks['data-shoppable-post'] = sanitize_text_field( $attributes['shoppablePost'] );
		}
	} elseif ( ! empty( $attributes['shoppableTags'] ) && is_array( $attributes['shoppableTags'] ) ) {
		$tags = shoppable_static_tags( $attributes['shoppableTags'] );
		if ( $tags ) {
			$marks['data-shoppable-tags'] = wp_json_encode( $tags );
		}
	}
	return shoppable_mark_first_image( $content, $marks );
}

/**
 * The static tags worth writing: positions within the photo, a name, a price and an http(s)
 * link (others, e.g. `javascript:` links, are left out). The widget checks the price.
 *
 * @param array $tags The block's `shoppableTags`.
 * @return array[]
 */
function shoppable_static_tags( $tags ) {
	$kept = array();
	foreach ( $tags as $tag ) {
		if ( ! is_array( $tag ) || ! isset( $tag['x'], $tag['y'] ) || ! is_numeric( $tag['x'] ) || ! is_numeric( $tag['y'] ) ) {
			continue;
		}
		$x = (float) $tag['x'];
		$y = (float) $tag['y'];
		// Kept as written ("<b>" in a name is text): the attribute is escaped, the widget shows text.
		$title = trim( wp_check_invalid_utf8( (string) ( $tag['title'] ?? '' ) ) );
		$price = trim( wp_check_invalid_utf8( (string) ( $tag['price'] ?? '' ) ) );
		$url   = esc_url_raw( (string) ( $tag['url'] ?? '' ), array( 'http', 'https' ) );
		if ( $x < 0 || $x > 1 || $y < 0 || $y > 1 || '' === $title || '' === $price || '' === $url ) {
			continue;
		}
		$kept[] = array(
			'x'     => $x,
			'y'     => $y,
			'title' => $title,
			'price' => $price,
			'url'   => $url,
		);
	}
	return $kept;
}

/**
 * Adds `$marks` (attribute => value) to the first <img> of `$html` and enqueues the loader.
 *
 * @param string $html  HTML with an image.
 * @param array  $marks Attributes to add; none leaves the HTML as it is.
 * @return string
 */
function shoppable_mark_first_image( $html, $marks ) {
	if ( ! $marks || false === stripos( $html, '<img' ) ) {
		return $html;
	}
	$attributes = '';
	foreach ( $marks as $name => $value ) {
		$attributes .= ' ' . $name . '="' . esc_attr( $value ) . '"';
	}
	shoppable_enqueue_loader();
	return preg_replace( '/<img\b/i', '<img' . $attributes, $html, 1 );
}

/**
 * Enqueues the widget's loader in the footer (WordPress prints one tag per handle, however
 * many photos ask for it).
 */
function shoppable_enqueue_loader() {
	$src = shoppable_script_url();
	if ( '' !== $src ) {
		// No version argument: the loader's address is the one the settings give.
		wp_enqueue_script( 'shoppable-loader', $src, array(), null, true ); // phpcs:ignore WordPress.WP.EnqueuedResourceParameters.MissingVersion
	}
}

/**
 * The loader's tag: deferred (WordPress 6.3's `strategy` does it too, but 6.1 and 6.2 lack
 * it) and configured by its attributes: backend, locale, insights, and the integrity of a
 * pinned version when one is given.
 *
 * @param string $tag    The <script> tag WordPress prints.
 * @param string $handle The script's handle.
 * @return string
 */
function shoppable_loader_tag( $tag, $handle ) {
	if ( 'shoppable-loader' !== $handle ) {
		return $tag;
	}
	$settings   = shoppable_settings();
	$attributes = array( 'data-locale' => shoppable_widget_locale() );
	if ( '' !== shoppable_backend_url() ) {
		$attributes['data-api'] = shoppable_backend_url();
	}
	if ( ! $settings['analytics'] ) {
		$attributes['data-analytics'] = 'off';
	}
	if ( '' !== $settings['script_integrity'] && '' !== $settings['script_url'] ) {
		$attributes['integrity']   = $settings['script_integrity'];
		$attributes['crossorigin'] = 'anonymous';
	}
	$added = ' defer';
	foreach ( $attributes as $name => $value ) {
		$added .= ' ' . $name . '="' . esc_attr( $value ) . '"';
	}
	$tag = preg_replace( '/\sdefer(=["\']defer["\'])?/', '', $tag );
	return preg_replace( '/<script\b/', '<script' . $added, $tag, 1 );
}

/**
 * `[shoppable post="look-42"]` shows the backend's post (photo and tags);
 * `[shoppable post="look-42"]<img src="...">[/shoppable]` puts its tags on your own photo.
 */
function shoppable_register_shortcode() {
	add_shortcode( 'shoppable', 'shoppable_shortcode' );
}

/**
 * The `[shoppable]` shortcode.
 *
 * @param array|string $attributes The shortcode's attributes.
 * @param string|null  $content    What it encloses.
 * @return string
 */
function shoppable_shortcode( $attributes, $content = null ) {
	$attributes = shortcode_atts( array( 'post' => '' ), $attributes, 'shoppable' );
	$post       = sanitize_text_field( $attributes['post'] );
	$inner      = null === $content ? '' : do_shortcode( $content );
	if ( '' === $post || '' === shoppable_backend_url() ) {
		return $inner;
	}
	if ( '' !== $inner ) {
		return shoppable_mark_first_image( $inner, array( 'data-shoppable-post' => $post ) );
	}
	shoppable_enqueue_loader();
	return '<shoppable-post post="' . esc_attr( $post ) . '"></shoppable-post>';
}
