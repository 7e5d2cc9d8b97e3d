<?php
/**
 * What WordPress asks the backend itself, with the admin token: whether it answers, and the
 * list of its saved posts, which the block editor reads through this plugin's REST route
 * (`GET /wp-json/shoppable/v1/posts`, for users who can edit posts). The token never
 * reaches a browser.
 *
 * @package Shoppable
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

add_action( 'rest_api_init', 'shoppable_register_rest_routes' );

/**
 * GET on the backend's `$path` (under its base URL), as JSON.
 *
 * @param string $path  E.g. `v1/config`.
 * @param bool   $admin Whether to send the admin token.
 * @return array|WP_Error The decoded answer, or why there is none.
 */
function shoppable_backend_get( $path, $admin = false ) {
	$backend = shoppable_backend_url();
	if ( '' === $backend ) {
		return new WP_Error( 'shoppable_no_backend', __( 'No backend is set (Settings > Shoppable).', 'shoppable' ) );
	}
	$headers = array( 'Accept' => 'application/json' );
	if ( $admin ) {
		$token = (string) get_option( 'shoppable_admin_token', '' );
		if ( '' === $token ) {
			return new WP_Error( 'shoppable_no_token', __( 'No admin token is saved (Settings > Shoppable): the shop\'s posts cannot be listed.', 'shoppable' ) );
		}
		$headers['Authorization'] = 'Bearer ' . $token;
	}
	$response = wp_remote_get(
		$backend . $path,
		array(
			'headers'             => $headers,
			'timeout'             => 5,
			'redirection'         => 0,
			// 100 posts are far less; more is not an answer of the backend.
			'limit_response_size' => 2 * MB_IN_BYTES,
		)
	);
	if ( is_wp_error( $response ) ) {
		return new WP_Error(
			'shoppable_backend_down',
			/* translators: %s: the backend's address */
			sprintf( __( 'The backend at %s does not answer.', 'shoppable' ), $backend )
		);
	}
	$code = wp_remote_retrieve_response_code( $response );
	if ( 401 === $code ) {
		return new WP_Error( 'shoppable_token_refused', __( 'The backend refused the admin token.', 'shoppable' ) );
	}
	$body = json_decode( wp_remote_retrieve_body( $response ), true );
	if ( 200 !== $code || ! is_array( $body ) ) {
		return new WP_Error(
			'shoppable_backend_error',
			/* translators: %d: an HTTP status code */
			sprintf( __( 'The backend answered with an error (HTTP %d).', 'shoppable' ), $code )
		);
	}
	return $body;
}

/**
 * What the settings page says about the backend: its shop's name and whether the token
 * works, or the first problem.
 *
 * @return string|WP_Error
 */
function shoppable_backend_status() {
	$config = shoppable_backend_get( 'v1/config' );
	if ( is_wp_error( $config ) ) {
		return $config;
	}
	$shop = isset( $config['shop_name'] ) ? (string) $config['shop_name'] : '';
	if ( '' === (string) get_option( 'shoppable_admin_token', '' ) ) {
		/* translators: %s: the shop's name */
		return sprintf( __( 'Connected to the shop "%s". Save an admin token to list its posts in the block editor.', 'shoppable' ), $shop );
	}
	$posts = shoppable_backend_get( 'v1/admin/posts?limit=1', true );
	if ( is_wp_error( $posts ) ) {
		return $posts;
	}
	/* translators: %s: the shop's name */
	return sprintf( __( 'Connected to the shop "%s"; the admin token works.', 'shoppable' ), $shop );
}

/**
 * `GET /wp-json/shoppable/v1/posts`.
 */
function shoppable_register_rest_routes() {
	register_rest_route(
		'shoppable/v1',
		'/posts',
		array(
			'methods'             => WP_REST_Server::READABLE,
			'callback'            => 'shoppable_rest_posts',
			'permission_callback' => static function () {
				return current_user_can( 'edit_posts' );
			},
		)
	);
}

/**
 * The backend's last 100 saved posts, for the block editor's list: id, photo's alt text and
 * number of tags.
 *
 * @return WP_REST_Response|WP_Error
 */
function shoppable_rest_posts() {
	$list = shoppable_backend_get( 'v1/admin/posts?limit=100', true );
	if ( is_wp_error( $list ) ) {
		$list->add_data( array( 'status' => 502 ) );
		return $list;
	}
	$posts = array();
	foreach ( (array) ( $list['posts'] ?? array() ) as $post ) {
		if ( ! is_array( $post ) || ! isset( $post['id'] ) ) {
			continue;
		}
		$posts[] = array(
			'id'   => sanitize_text_field( (string) $post['id'] ),
			'alt'  => sanitize_text_field( (string) ( $post['image']['alt'] ?? '' ) ),
			'tags' => count( (array) ( $post['tags'] ?? array() ) ),
		);
	}
	return rest_ensure_response( array( 'posts' => $posts ) );
}
