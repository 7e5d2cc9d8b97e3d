<?php
/**
 * Publishes a post written as a site owner would in the classic editor:
 * `php post.php <title> <content>` (SHOPPABLE_WP_SETTINGS set); prints its address.
 */
if ( PHP_SAPI !== 'cli' ) {
	exit( 1 );
}
$_SERVER['WORDPRESS_CONFIG'] = 'shoppable-e2e';
$_SERVER['HTTP_HOST']        = '127.0.0.1';
require '/usr/share/wordpress/wp-load.php';

$id = wp_insert_post(
	array(
		'post_title'   => $argv[1],
		'post_content' => $argv[2],
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
