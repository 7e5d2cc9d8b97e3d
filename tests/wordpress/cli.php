<?php
/**
 * What the test does in WordPress without a browser (SHOPPABLE_WP_SETTINGS set):
 *   php cli.php post <title> <content>   publishes a post as the classic editor would; prints its address
 *   php cli.php user <login> <password> <role>   adds a user
 *   php cli.php options                  prints the plugin's options that exist (name: autoloaded), as JSON
 *   php cli.php settings [<json>]        prints the plugin's settings as JSON, or puts back ones it printed
 *   php cli.php uninstall                runs the plugin's uninstall.php as "Delete" does (its files stay)
 */
if ( PHP_SAPI !== 'cli' ) {
	exit( 1 );
}
$_SERVER['WORDPRESS_CONFIG'] = 'shoppable-e2e';
$_SERVER['HTTP_HOST']        = '127.0.0.1';
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

switch ( $argv[1] ) {
	case 'post':
		$id = wp_insert_post(
			array(
				'post_title'   => $argv[2],
				'post_content' => $argv[3],
				'post_status'  => 'publish',
				'post_author'  => 1,
			),
			true
		);
		if ( is_wp_error( $id ) ) {
			fwrite( STDERR, $id->get_error_message() . "\n" );
			exit( 1 );
		}
		echo get_permalink( $id );
		break;
	case 'user':
		$id = wp_insert_user(
			array(
				'user_login' => $argv[2],
				'user_pass'  => $argv[3],
				'user_email' => $argv[2] . '@example.com',
				'role'       => $argv[4],
			)
		);
		if ( is_wp_error( $id ) ) {
			fwrite( STDERR, $id->get_error_message() . "\n" );
			exit( 1 );
		}
		echo 'created';
		break;
	case 'options':
		// Name => whether WordPress loads it on every request.
		$found = array();
		foreach ( array( 'shoppable_settings', 'shoppable_admin_token' ) as $name ) {
			$autoload = $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM $wpdb->options WHERE option_name = %s", $name ) );
			if ( null !== $autoload ) {
				$found[ $name ] = 'yes' === $autoload;
			}
		}
		echo wp_json_encode( (object) $found );
		break;
	case 'settings':
		// Raw, as a test saved them: no sanitizing, no backend asked (admin_init does not run here).
		if ( isset( $argv[2] ) ) {
			update_option( 'shoppable_settings', json_decode( $argv[2], true ) );
		}
		echo wp_json_encode( get_option( 'shoppable_settings' ) );
		break;
	case 'uninstall':
		uninstall_plugin( 'shoppable/shoppable.php' );
		echo 'uninstalled';
		break;
	default:
		exit( 1 );
}
