<?php
/**
 * Installs WordPress in the test's empty database: `php install.php <address> <admin password>`
 * (SHOPPABLE_WP_SETTINGS set). English site, no avatars (no request to gravatar.com), the
 * block editor's welcome guide already seen.
 */
if ( PHP_SAPI !== 'cli' ) {
	exit( 1 );
}
$_SERVER['WORDPRESS_CONFIG'] = 'shoppable-e2e';
$_SERVER['HTTP_HOST']        = parse_url( $argv[1], PHP_URL_HOST );
define( 'WP_INSTALLING', true );
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

$result = wp_install( 'Carnet de Camille', 'admin', 'admin@example.com', false, '', wp_slash( $argv[2] ), 'en_US' );
update_option( 'show_avatars', 0 );
update_user_meta(
	$result['user_id'],
	$wpdb->get_blog_prefix() . 'persisted_preferences',
	array(
		'core/edit-post' => array( 'welcomeGuide' => false ),
		'_modified'      => gmdate( 'c' ),
	)
);
echo "installed\n";
