<?php
/**
 * Router of `php -S` for the end-to-end test's WordPress (what Apache's rules do for it):
 * static files are served as they are, PHP files and directories run their script, any
 * other path runs index.php. Selects the test's configuration for Debian's wp-config.php.
 */
$_SERVER['WORDPRESS_CONFIG'] = 'shoppable-e2e';
$shoppable_root              = $_SERVER['DOCUMENT_ROOT'];
$shoppable_path              = '/' . ltrim( rawurldecode( parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) ), '/' );
if ( str_contains( $shoppable_path, '..' ) ) {
	http_response_code( 400 );
	exit;
}
$shoppable_file = $shoppable_root . $shoppable_path;
if ( is_dir( $shoppable_file ) ) {
	if ( ! str_ends_with( $shoppable_path, '/' ) ) {
		header( 'Location: ' . $shoppable_path . '/' );
		exit;
	}
	$shoppable_file .= 'index.php';
}
if ( ! file_exists( $shoppable_file ) ) {
	$shoppable_file = $shoppable_root . '/index.php';
} elseif ( ! str_ends_with( $shoppable_file, '.php' ) ) {
	return false;
}
$_SERVER['SCRIPT_FILENAME'] = $shoppable_file;
chdir( dirname( $shoppable_file ) );
require $shoppable_file;
