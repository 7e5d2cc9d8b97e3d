/**
 * Shoppable: makes the block editor's Image block shoppable. Plain JavaScript on the
 * editor's `wp.*` packages (no build step).
 *
 * Two attributes are added to core/image and saved in the block's comment, so the block's
 * HTML stays the core one: `shoppablePost` (the id of a post saved on the backend) or
 * `shoppableTags` (static tags: position, name, price, link). The plugin's PHP puts them on
 * the published <img> (`render_block`).
 *
 * @package Shoppable
 */
( function ( wp, options ) {
	'use strict';

	var el = wp.element.createElement;
	var useState = wp.element.useState;
	var useEffect = wp.element.useEffect;
	var __ = wp.i18n.__;
	var _n = wp.i18n._n;
	var sprintf = wp.i18n.sprintf;
	var components = wp.components;

	wp.hooks.addFilter( 'blocks.registerBlockType', 'shoppable/image-attributes', function ( settings, name ) {
		if ( name !== 'core/image' ) {
			return settings;
		}
		return Object.assign( {}, settings, {
			attributes: Object.assign( {}, settings.attributes, {
				shoppablePost: { type: 'string' },
				shoppableTags: { type: 'array' },
			} ),
		} );
	} );

	function modeOf( attributes ) {
		if ( typeof attributes.shoppablePost === 'string' ) {
			return 'backend';
		}
		return Array.isArray( attributes.shoppableTags ) ? 'static' : 'none';
	}

	function isHttpLink( url ) {
		return /^https?:\/\/[^\s/]/i.test( url || '' );
	}

	/** The console's tag editor: on a new post (`#/posts/new`), or on `post` (`#/posts/<id>`). */
	function tagEditorUrl( post ) {
		var url = new URL( options.tagEditor );
		if ( post ) {
			url.hash = '/posts/' + encodeURIComponent( post );
		}
		return url.href;
	}

	/** The backend's saved posts, read through the plugin's REST route (the token stays on the server). */
	function BackendPost( props ) {
		var post = props.attributes.shoppablePost || '';
		var list = useState( { status: 'loading', posts: [], message: '' } );
		var state = list[ 0 ];
		var setState = list[ 1 ];
		function load() {
			setState( { status: 'loading', posts: [], message: '' } );
			wp.apiFetch( { path: '/shoppable/v1/posts' } ).then(
				function ( answer ) {
					setState( { status: 'ready', posts: answer.posts, message: '' } );
				},
				function ( error ) {
					setState( { status: 'error', posts: [], message: error.message || __( 'The shop\'s posts could not be read.', 'shoppable' ) } );
				}
			);
		}
		useEffect( load, [] );

		var choices = [ { value: '', label: __( 'Choose a post', 'shoppable' ) } ].concat(
			state.posts.map( function ( item ) {
				return {
					value: item.id,
					/* translators: 1: a post's id, 2: its photo's description, 3: its number of tags */
					label: sprintf( _n( '%1$s: %2$s (%3$d tag)', '%1$s: %2$s (%3$d tags)', item.tags, 'shoppable' ), item.id, item.alt, item.tags ),
				};
			} )
		);
		if ( post && ! state.posts.some( function ( item ) { return item.id === post; } ) ) {
			choices.push( { value: post, label: post } );
		}
		return el(
			'div',
			{ className: 'shoppable-backend-post' },
			state.status === 'loading' && el( 'p', { role: 'status' }, el( components.Spinner ), __( 'Reading the shop\'s posts...', 'shoppable' ) ),
			state.status === 'error' && el( components.Notice, { status: 'error', isDismissible: false }, state.message ),
			el( components.SelectControl, {
				label: __( 'Post of the shop', 'shoppable' ),
				help: __( 'Its tags show on this photo.', 'shoppable' ),
				value: post,
				options: choices,
				disabled: state.status === 'loading',
				onChange: function ( value ) {
					props.setAttributes( { shoppablePost: value } );
				},
			} ),
			el(
				'p',
				null,
				el( components.ExternalLink, { href: tagEditorUrl( post ) }, post ? __( 'Edit its tags in the tag editor', 'shoppable' ) : __( 'Tag a photo in the tag editor', 'shoppable' ) )
			),
			el( components.Button, { variant: 'secondary', onClick: load }, __( 'Reload the list', 'shoppable' ) )
		);
	}

	/** Static tags: a product's name, price and link, placed in percents of the photo. */
	function StaticTags( props ) {
		var tags = props.attributes.shoppableTags || [];
		function update( index, changes ) {
			props.setAttributes( {
				shoppableTags: tags.map( function ( tag, at ) {
					return at === index ? Object.assign( {}, tag, changes ) : tag;
				} ),
			} );
		}
		function percentField( index, key, label ) {
			return el( components.TextControl, {
				label: label,
				type: 'number',
				min: 0,
				max: 100,
				value: String( Math.round( tags[ index ][ key ] * 1000 ) / 10 ),
				onChange: function ( value ) {
					var fraction = Math.min( 100, Math.max( 0, Number( value ) || 0 ) ) / 100;
					var changes = {};
					changes[ key ] = fraction;
					update( index, changes );
				},
			} );
		}
		return el(
			'div',
			{ className: 'shoppable-static-tags' },
			tags.map( function ( tag, index ) {
				var incomplete = ! tag.title || ! tag.price || ! isHttpLink( tag.url );
				return el(
					'fieldset',
					{ key: index, className: 'shoppable-static-tag', style: { marginBottom: '16px' } },
					/* translators: %d: the tag's number */
					el( 'legend', { style: { fontWeight: 600, marginBottom: '8px' } }, sprintf( __( 'Tag %d', 'shoppable' ), index + 1 ) ),
					el( components.TextControl, {
						label: __( 'Product name', 'shoppable' ),
						value: tag.title || '',
						onChange: function ( value ) { update( index, { title: value } ); },
					} ),
					el( components.TextControl, {
						label: __( 'Price', 'shoppable' ),
						help: __( 'Amount and currency code, e.g. 49.00 EUR', 'shoppable' ),
						value: tag.price || '',
						onChange: function ( value ) { update( index, { price: value } ); },
					} ),
					el( components.TextControl, {
						label: __( 'Link', 'shoppable' ),
						type: 'url',
						help: __( 'The product\'s page, https://...', 'shoppable' ),
						value: tag.url || '',
						onChange: function ( value ) { update( index, { url: value.trim() } ); },
					} ),
					percentField( index, 'x', __( 'From the left (%)', 'shoppable' ) ),
					percentField( index, 'y', __( 'From the top (%)', 'shoppable' ) ),
					incomplete && el( components.Notice, { status: 'warning', isDismissible: false },
						__( 'Not shown until it has a name, a price and an http(s) link.', 'shoppable' ) ),
					el( components.Button, {
						variant: 'link',
						isDestructive: true,
						onClick: function () {
							props.setAttributes( { shoppableTags: tags.filter( function ( other, at ) { return at !== index; } ) } );
						},
					/* translators: %d: the tag's number */
					}, sprintf( __( 'Remove tag %d', 'shoppable' ), index + 1 ) )
				);
			} ),
			el( components.Button, {
				variant: 'secondary',
				onClick: function () {
					props.setAttributes( { shoppableTags: tags.concat( [ { x: 0.5, y: 0.5, title: '', price: '', url: '' } ] ) } );
				},
			}, __( 'Add a tag', 'shoppable' ) )
		);
	}

	function ShoppablePanel( props ) {
		var mode = modeOf( props.attributes );
		var modes = [ { value: 'none', label: __( 'No', 'shoppable' ) } ];
		if ( ! options.staticOnly ) {
			modes.push( { value: 'backend', label: __( 'Tags of a post of the shop', 'shoppable' ) } );
		}
		modes.push( { value: 'static', label: __( 'Static tags: a price and a link', 'shoppable' ) } );
		return el(
			wp.blockEditor.InspectorControls,
			null,
			el(
				components.PanelBody,
				{ title: __( 'Shoppable', 'shoppable' ), className: 'shoppable-panel', initialOpen: true },
				el( components.RadioControl, {
					label: __( 'Shoppable photo', 'shoppable' ),
					selected: mode,
					options: modes,
					onChange: function ( value ) {
						// An empty post id or tag list is the chosen mode before anything is picked.
						props.setAttributes( {
							shoppablePost: value === 'backend' ? '' : undefined,
							shoppableTags: value === 'static' ? [ { x: 0.5, y: 0.5, title: '', price: '', url: '' } ] : undefined,
						} );
					},
				} ),
				mode === 'backend' && el( BackendPost, props ),
				mode === 'static' && el( StaticTags, props ),
				options.staticOnly && props.attributes.shoppablePost && el( components.Notice, { status: 'warning', isDismissible: false },
					__( 'Static mode is on (Settings > Shoppable): the shop\'s post is not shown.', 'shoppable' ) )
			)
		);
	}

	var withShoppablePanel = wp.compose.createHigherOrderComponent( function ( BlockEdit ) {
		return function ( props ) {
			if ( props.name !== 'core/image' ) {
				return el( BlockEdit, props );
			}
			return el( wp.element.Fragment, null, el( BlockEdit, props ), props.isSelected && el( ShoppablePanel, props ) );
		};
	}, 'withShoppablePanel' );

	wp.hooks.addFilter( 'editor.BlockEdit', 'shoppable/image-panel', withShoppablePanel );
}( window.wp, window.shoppableEditor ) );
