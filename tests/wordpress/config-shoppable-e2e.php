<?php
/**
 * Debian's WordPress configuration for the plugin's end-to-end test, installed by
 * scripts/setup.sh as /etc/wordpress/config-shoppable-e2e.php. Debian's wp-config.php loads
 * it when the request sets WORDPRESS_CONFIG=shoppable-e2e (tests/wordpress/router.php and
 * install.php do); the test run writes its settings (database socket, content directory,
 * address) to the file named by SHOPPABLE_WP_SETTINGS.
 */
$shoppable_e2e_settings = getenv( 'SHOPPABLE_WP_SETTINGS' );
if ( ! $shoppable_e2e_settings || ! is_readable( $shoppable_e2e_settings ) ) {
	header( 'HTTP/1.0 503 Service Unavailable' );
	exit( 'SHOPPABLE_WP_SETTINGS does not name a readable settings file.' );
}
require_once $shoppable_e2e_settings;
