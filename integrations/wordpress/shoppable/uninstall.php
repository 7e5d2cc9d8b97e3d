<?php
/**
 * Removes what the plugin stored when it is deleted from the Plugins screen: its settings and
 * the backend's admin token.
 *
 * @package Shoppable
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

delete_option( 'shoppable_settings' );
delete_option( 'shoppable_admin_token' );
