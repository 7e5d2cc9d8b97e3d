<?php
/**
 * The block editor's extension of the Image block (assets/editor.js, plain JavaScript on the
 * editor's own `wp.*` packages, no build step).
 *
 * @package Shoppable
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

add_action( 'enqueue_block_editor_assets', 'shoppable_enqueue_editor' );

/**
 * Adds the extension and what it needs to know: static mode, the tag editor's address.
 */
function shoppable_enqueue_editor() {
	wp_enqueue_script(
		'shoppable-editor',
		plugins_url( 'assets/editor.js', SHOPPABLE_FILE ),
		array( 'wp-api-fetch', 'wp-block-editor', 'wp-components', 'wp-compose', 'wp-element', 'wp-hooks', 'wp-i18n' ),
		SHOPPABLE_VERSION,
		true
	);
	wp_add_inline_script(
		'shoppable-editor',
		'window.shoppableEditor = ' . wp_json_encode(
			array(
				'staticOnly' => '' === shoppable_backend_url(),
				'tagEditor'  => shoppable_tag_editor_url(),
			)
		) . ';',
		'before'
	);
	wp_set_script_translations( 'shoppable-editor', 'shoppable', plugin_dir_path( SHOPPABLE_FILE ) . 'languages' );
}
