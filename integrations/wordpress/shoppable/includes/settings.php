<?php
/**
 * Settings page (Settings > Shoppable): backend address, admin token, widget script, locale,
 * analytics and static mode, through the Settings API.
 *
 * The admin token is its own option, not autoloaded, never printed back (its field is always
 * empty; leaving it empty keeps the saved one) and only sent by the server to the backend.
 *
 * @package Shoppable
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

add_action( 'admin_init', 'shoppable_register_settings' );
add_action( 'admin_menu', 'shoppable_add_settings_page' );
add_filter( 'plugin_action_links_' . plugin_basename( SHOPPABLE_FILE ), 'shoppable_settings_link' );

/**
 * The settings with their defaults.
 *
 * @return array{backend_url: string, script_url: string, script_integrity: string, locale: string, analytics: bool, static_only: bool}
 */
function shoppable_settings() {
	$saved = get_option( 'shoppable_settings', array() );
	return array_merge(
		array(
			'backend_url'      => '',
			'script_url'       => '',
			'script_integrity' => '',
			'locale'           => '',
			'analytics'        => true,
			'static_only'      => false,
		),
		is_array( $saved ) ? $saved : array()
	);
}

/**
 * The backend's base URL, ending with a slash; '' in static mode or when none is set.
 *
 * @return string
 */
function shoppable_backend_url() {
	$settings = shoppable_settings();
	if ( $settings['static_only'] || '' === $settings['backend_url'] ) {
		return '';
	}
	return trailingslashit( $settings['backend_url'] );
}

/**
 * Address of the widget's loader (shoppable.js): the one set, else the reference server's
 * (`<backend>/pkg/shoppable.js`); '' when neither is known.
 *
 * @return string
 */
function shoppable_script_url() {
	$settings = shoppable_settings();
	if ( '' !== $settings['script_url'] ) {
		return $settings['script_url'];
	}
	$backend = trailingslashit( $settings['backend_url'] );
	return '/' === $backend ? '' : $backend . 'pkg/shoppable.js';
}

/**
 * The widget's locale (BCP 47): the one set, else the site's (`fr_FR` gives `fr-FR`).
 *
 * @return string
 */
function shoppable_widget_locale() {
	$settings = shoppable_settings();
	return '' !== $settings['locale'] ? $settings['locale'] : str_replace( '_', '-', get_locale() );
}

/**
 * The reference backend's tag editor, in its console (`#/posts/<id>`, `#/posts/new`); '' in
 * static mode.
 *
 * @param string $post Id of a post to open in it, or '' for a new post.
 * @return string
 */
function shoppable_tag_editor_url( $post = '' ) {
	$backend = shoppable_backend_url();
	if ( '' === $backend ) {
		return '';
	}
	return $backend . 'console/#/posts/' . ( '' !== $post ? rawurlencode( $post ) : 'new' );
}

/**
 * Registers the two options and the fields of the settings page.
 */
function shoppable_register_settings() {
	// The token's option is created unloaded, so that WordPress does not read it on every
	// request (saving the form would create it autoloaded).
	if ( false === get_option( 'shoppable_admin_token' ) ) {
		add_option( 'shoppable_admin_token', '', '', false );
	}
	register_setting(
		'shoppable',
		'shoppable_settings',
		array(
			'type'              => 'array',
			'sanitize_callback' => 'shoppable_sanitize_settings',
			'default'           => array(),
		)
	);
	register_setting(
		'shoppable',
		'shoppable_admin_token',
		array(
			// No registered default: WordPress would take the empty token for a missing option
			// and create it again, autoloaded.
			'type'              => 'string',
			'sanitize_callback' => 'shoppable_sanitize_admin_token',
		)
	);

	add_settings_section( 'shoppable_backend', __( 'Shop backend', 'shoppable' ), 'shoppable_backend_section', 'shoppable' );
	add_settings_section( 'shoppable_widget', __( 'Widget', 'shoppable' ), '__return_false', 'shoppable' );
	$fields = array(
		array( 'static_only', __( 'Static mode', 'shoppable' ), 'shoppable_backend' ),
		array( 'backend_url', __( 'Backend address', 'shoppable' ), 'shoppable_backend' ),
		array( 'admin_token', __( 'Admin token', 'shoppable' ), 'shoppable_backend' ),
		array( 'script_url', __( 'Widget script address', 'shoppable' ), 'shoppable_widget' ),
		array( 'script_integrity', __( 'Widget script integrity', 'shoppable' ), 'shoppable_widget' ),
		array( 'locale', __( 'Language of the widget', 'shoppable' ), 'shoppable_widget' ),
		array( 'analytics', __( 'Insights', 'shoppable' ), 'shoppable_widget' ),
	);
	foreach ( $fields as list( $name, $label, $section ) ) {
		$checkbox = in_array( $name, array( 'static_only', 'analytics' ), true );
		add_settings_field(
			'shoppable_' . $name,
			$label,
			'shoppable_field',
			'shoppable',
			$section,
			array(
				'name'      => $name,
				'label_for' => $checkbox ? null : 'shoppable_' . $name,
			)
		);
	}
}

/**
 * Adds Settings > Shoppable.
 */
function shoppable_add_settings_page() {
	add_options_page(
		__( 'Shoppable', 'shoppable' ),
		__( 'Shoppable', 'shoppable' ),
		'manage_options',
		'shoppable',
		'shoppable_render_settings_page'
	);
}

/**
 * A "Settings" link next to "Deactivate" on the Plugins screen.
 *
 * @param string[] $links The plugin's action links.
 * @return string[]
 */
function shoppable_settings_link( $links ) {
	$url = admin_url( 'options-general.php?page=shoppable' );
	array_unshift( $links, '<a href="' . esc_url( $url ) . '">' . esc_html__( 'Settings', 'shoppable' ) . '</a>' );
	return $links;
}

/**
 * Keeps what is valid of the submitted settings; a refused value keeps the saved one and
 * says why.
 *
 * @param mixed $input The submitted `shoppable_settings`.
 * @return array
 */
function shoppable_sanitize_settings( $input ) {
	$saved  = shoppable_settings();
	$input  = is_array( $input ) ? wp_unslash( $input ) : array();
	$output = array(
		'backend_url'      => $saved['backend_url'],
		'script_url'       => $saved['script_url'],
		'script_integrity' => $saved['script_integrity'],
		'locale'           => $saved['locale'],
		'analytics'        => ! empty( $input['analytics'] ),
		'static_only'      => ! empty( $input['static_only'] ),
	);
	$urls   = array(
		'backend_url' => __( 'The backend address must start with http:// or https://.', 'shoppable' ),
		'script_url'  => __( 'The widget script address must start with http:// or https://.', 'shoppable' ),
	);
	foreach ( $urls as $name => $problem ) {
		$value = trim( (string) ( $input[ $name ] ?? '' ) );
		if ( '' === $value ) {
			$output[ $name ] = '';
		} elseif ( in_array( wp_parse_url( $value, PHP_URL_SCHEME ), array( 'http', 'https' ), true ) && wp_parse_url( $value, PHP_URL_HOST ) ) {
			$output[ $name ] = esc_url_raw( $value, array( 'http', 'https' ) );
		} else {
			shoppable_settings_error( 'shoppable_' . $name, $problem );
		}
	}
	$integrity = trim( (string) ( $input['script_integrity'] ?? '' ) );
	if ( '' === $integrity || preg_match( '#^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$#', $integrity ) ) {
		$output['script_integrity'] = $integrity;
	} else {
		shoppable_settings_error( 'shoppable_script_integrity', __( 'The integrity must be a hash written sha384-... (the one the widget\'s build prints for a pinned version).', 'shoppable' ) );
	}
	$locale = trim( (string) ( $input['locale'] ?? '' ) );
	if ( '' === $locale || preg_match( '/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/', $locale ) ) {
		$output['locale'] = $locale;
	} else {
		shoppable_settings_error( 'shoppable_locale', __( 'The language must be a language tag such as fr, fr-CA or en-GB.', 'shoppable' ) );
	}
	if ( ! $output['static_only'] && '' === $output['backend_url'] ) {
		shoppable_settings_error( 'shoppable_no_backend', __( 'Without a backend address only static tags work: set one, or choose static mode.', 'shoppable' ), 'warning' );
	}
	if ( '' === $output['backend_url'] && '' === $output['script_url'] ) {
		shoppable_settings_error( 'shoppable_no_script', __( 'Without a backend, give the widget script\'s address: until then no photo is shoppable.', 'shoppable' ), 'warning' );
	}
	return $output;
}

/**
 * Reports a problem of the submitted settings once (WordPress sanitizes a new option twice).
 *
 * @param string $code    Which problem.
 * @param string $message What to say.
 * @param string $type    `error` or `warning`.
 */
function shoppable_settings_error( $code, $message, $type = 'error' ) {
	foreach ( get_settings_errors( 'shoppable_settings' ) as $reported ) {
		if ( $reported['code'] === $code ) {
			return;
		}
	}
	add_settings_error( 'shoppable_settings', $code, $message, $type );
}

/**
 * A new admin token replaces the saved one; an empty field keeps it; "Forget" deletes it.
 *
 * @param mixed $input The submitted token.
 * @return string
 */
function shoppable_sanitize_admin_token( $input ) {
	// options.php checked the form's nonce and the manage_options capability before this runs.
	// phpcs:ignore WordPress.Security.NonceVerification.Missing
	if ( ! empty( $_POST['shoppable_forget_token'] ) ) {
		return '';
	}
	$token = trim( sanitize_text_field( (string) $input ) );
	return '' === $token ? (string) get_option( 'shoppable_admin_token', '' ) : $token;
}

/**
 * Introduction of the backend section, with the origin the backend must allow.
 */
function shoppable_backend_section() {
	$home   = wp_parse_url( home_url() );
	$origin = $home['scheme'] . '://' . $home['host'] . ( isset( $home['port'] ) ? ':' . $home['port'] : '' );
	echo '<p>';
	printf(
		/* translators: %s: the site's origin, e.g. https://blog.example */
		esc_html__( 'The backend must allow this site\'s origin: %s (reference server: --allowed-origin).', 'shoppable' ),
		'<code>' . esc_html( $origin ) . '</code>'
	);
	echo '</p>';
}

/**
 * One field of the settings page.
 *
 * @param array{name: string} $arguments Which field.
 */
function shoppable_field( $arguments ) {
	$settings = shoppable_settings();
	$name     = $arguments['name'];
	$id       = 'shoppable_' . $name;
	switch ( $name ) {
		case 'static_only':
		case 'analytics':
			$label = 'static_only' === $name
				? __( 'No backend: only static tags, with a price and a link to another site', 'shoppable' )
				: __( 'Send anonymous insight events (tags seen, cards opened) to the backend', 'shoppable' );
			printf(
				'<label for="%1$s"><input type="checkbox" id="%1$s" name="shoppable_settings[%2$s]" value="1" %3$s> %4$s</label>',
				esc_attr( $id ),
				esc_attr( $name ),
				checked( $settings[ $name ], true, false ),
				esc_html( $label )
			);
			break;
		case 'admin_token':
			$saved = '' !== get_option( 'shoppable_admin_token', '' );
			printf(
				'<input type="password" id="%1$s" name="shoppable_admin_token" value="" class="regular-text" autocomplete="off" aria-describedby="%1$s_help">',
				esc_attr( $id )
			);
			echo '<p class="description" id="' . esc_attr( $id ) . '_help">';
			echo esc_html(
				$saved
					? __( 'A token is saved. Leave empty to keep it. It lets the block editor list the shop\'s posts; it is never sent to visitors.', 'shoppable' )
					: __( 'The backend\'s admin token, to list the shop\'s posts in the block editor. It is never sent to visitors.', 'shoppable' )
			);
			echo '</p>';
			if ( $saved ) {
				printf(
					'<label for="shoppable_forget_token"><input type="checkbox" id="shoppable_forget_token" name="shoppable_forget_token" value="1"> %s</label>',
					esc_html__( 'Forget the saved token', 'shoppable' )
				);
			}
			break;
		default:
			$help = array(
				'backend_url'      => __( 'Base address of the shop\'s API, e.g. https://shop.example/api/', 'shoppable' ),
				'script_url'       => __( 'Address of shoppable.js, e.g. on a CDN. Empty: the backend\'s /pkg/shoppable.js.', 'shoppable' ),
				'script_integrity' => __( 'For a pinned version (shoppable@X.Y.Z/shoppable.js): its sha384-... hash, and browsers refuse a script that differs. Empty: not checked.', 'shoppable' ),
				'locale'           => __( 'A language tag such as fr, fr-CA or en-GB. Empty: the site\'s language.', 'shoppable' ),
			);
			$type = in_array( $name, array( 'locale', 'script_integrity' ), true ) ? 'text' : 'url';
			printf(
				'<input type="%1$s" id="%2$s" name="shoppable_settings[%3$s]" value="%4$s" class="regular-text" aria-describedby="%2$s_help"><p class="description" id="%2$s_help">%5$s</p>',
				esc_attr( $type ),
				esc_attr( $id ),
				esc_attr( $name ),
				esc_attr( $settings[ $name ] ),
				esc_html( $help[ $name ] )
			);
	}
}

/**
 * The settings page, with what the backend answers now.
 */
function shoppable_render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	echo '<div class="wrap"><h1>' . esc_html( get_admin_page_title() ) . '</h1>';
	shoppable_render_backend_status();
	echo '<form action="options.php" method="post">';
	settings_fields( 'shoppable' );
	do_settings_sections( 'shoppable' );
	submit_button();
	echo '</form></div>';
}

/**
 * A notice saying whether the backend answers and takes the token.
 */
function shoppable_render_backend_status() {
	if ( '' === shoppable_backend_url() ) {
		return;
	}
	$status = shoppable_backend_status();
	printf(
		'<div class="notice notice-%1$s inline"><p>%2$s</p></div>',
		esc_attr( is_wp_error( $status ) ? 'error' : 'success' ),
		esc_html( is_wp_error( $status ) ? $status->get_error_message() : $status )
	);
}
