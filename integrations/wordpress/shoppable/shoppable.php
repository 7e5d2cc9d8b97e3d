<?php
/**
 * Plugin Name:       Shoppable
 * Plugin URI:        https://github.com/shoppable/shoppable
 * Description:       Makes the photos of your posts shoppable: tags on the products in an Image block, a product card and a checkout on your own pages, from a Shoppable backend or with static tags and links.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            Shoppable contributors
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       shoppable
 * Domain Path:       /languages
 *
 * @package Shoppable
 */

/*
 * Copyright (C) Shoppable contributors.
 *
 * This program is free software; you can redistribute it and/or modify it under the terms of
 * the GNU General Public License as published by the Free Software Foundation; either version
 * 2 of the License, or (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY;
 * without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.
 * See the GNU General Public License for more details.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'SHOPPABLE_VERSION', '0.1.0' );
define( 'SHOPPABLE_FILE', __FILE__ );

require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/backend.php';
require_once __DIR__ . '/includes/render.php';
require_once __DIR__ . '/includes/editor.php';

add_action( 'init', 'shoppable_load_textdomain' );

/**
 * Loads the plugin's translations (languages/shoppable-<locale>.mo).
 */
function shoppable_load_textdomain() {
	load_plugin_textdomain( 'shoppable', false, dirname( plugin_basename( SHOPPABLE_FILE ) ) . '/languages' );
}
