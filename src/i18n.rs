//! Every string the shopper sees, in French and English.

/// The language of the widget's text. Numbers and prices use the full locale tag
/// (see [`crate::config::WidgetConfig::locale_tag`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    Fr,
    #[default]
    En,
}

impl Lang {
    /// `fr`, `fr-FR`, `fr-CA` are French; everything else falls back to English.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Lang::Fr,
            _ => Lang::En,
        }
    }
}

/// The text keys; `Lang::text` gives each its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Close,
    AddToBag,
    BuyNow,
    ViewProduct,
    SoldOut,
    Loading,
    LoadFailed,
    Retry,
    AddedToBag,
    BagFull,
    WasPrice,
    Bag,
    BagEmpty,
    Quantity,
    Decrease,
    Increase,
    Remove,
    Subtotal,
    Shipping,
    TaxIncluded,
    TaxAdded,
    Total,
    Checkout,
    Continue,
    Back,
    Edit,
    ContactAndAddress,
    FieldName,
    FieldEmail,
    FieldPhone,
    FieldLine1,
    FieldLine2,
    FieldPostalCode,
    FieldCity,
    FieldCountry,
    RememberDetails,
    ShippingMethod,
    Free,
    Payment,
    CardNumber,
    Expiry,
    Cvc,
    CardSafety,
    Review,
    DeliverTo,
    PayWith,
    PlaceOrder,
    Placing,
    Authenticating,
    OrderConfirmed,
    OrderNumber,
    ViewOrder,
    ContinueShopping,
    Orders,
    NoOrders,
    CancelOrder,
    ConfirmCancel,
    YesCancel,
    KeepOrder,
    Track,
    StatusPlaced,
    StatusPaid,
    StatusShipped,
    StatusDelivered,
    StatusCancelled,
    StatusRefunded,
    RequiredName,
    RequiredEmail,
    InvalidEmail,
    InvalidPhone,
    RequiredAddress,
    RequiredPostalCode,
    RequiredCity,
    RequiredCountry,
    RequiredCardNumber,
    InvalidCardNumber,
    InvalidExpiry,
    CardExpired,
    InvalidCvc,
    FixErrors,
    ErrNetwork,
    ErrTimeout,
    ErrServer,
    ErrMalformed,
    ErrPriceChanged,
    ErrCardDeclined,
    ErrInsufficientFunds,
    ErrPaymentToken,
    ErrCancelClosed,
    ErrGeneric,
    LineUnavailable,
    Items,
    PaidWith,
    NewForYou,
    Returns,
    ReturnItems,
    ReturnReason,
    SendReturn,
    ReturnChooseLines,
    ReturnNeedsReason,
    ReturnRequested,
    ReturnApproved,
    ReturnRefused,
    ReturnReceived,
    ReturnRefunded,
    ReturnLabel,
    Refund,
    RefundedAmount,
    OrderElsewhere,
    ContactShop,
    YourMessage,
    Send,
    MessageNeeded,
    FromYou,
    FromShop,
    ErrReturnClosed,
}

impl Lang {
    pub fn text(self, key: Text) -> &'static str {
        use Text::*;
        let (fr, en) = match key {
            Close => ("Fermer", "Close"),
            AddToBag => ("Ajouter au panier", "Add to bag"),
            BuyNow => ("Acheter", "Buy now"),
            ViewProduct => ("Voir le produit", "View product"),
            SoldOut => ("Épuisé", "Sold out"),
            Loading => ("Chargement…", "Loading…"),
            LoadFailed => ("Impossible de charger ce produit.", "This product could not be loaded."),
            Retry => ("Réessayer", "Try again"),
            AddedToBag => ("Ajouté au panier", "Added to bag"),
            BagFull => ("Votre panier est plein.", "Your bag is full."),
            WasPrice => ("Prix précédent", "Was"),
            Bag => ("Panier", "Bag"),
            BagEmpty => ("Votre panier est vide.", "Your bag is empty."),
            Quantity => ("Quantité", "Quantity"),
            Decrease => ("Retirer un", "One less"),
            Increase => ("Ajouter un", "One more"),
            Remove => ("Retirer", "Remove"),
            Subtotal => ("Sous-total", "Subtotal"),
            Shipping => ("Livraison", "Shipping"),
            TaxIncluded => ("dont TVA", "incl. VAT"),
            TaxAdded => ("Taxes", "Tax"),
            Total => ("Total", "Total"),
            Checkout => ("Commander", "Check out"),
            Continue => ("Continuer", "Continue"),
            Back => ("Retour", "Back"),
            Edit => ("Modifier", "Edit"),
            ContactAndAddress => ("Coordonnées et livraison", "Contact and delivery"),
            FieldName => ("Nom complet", "Full name"),
            FieldEmail => ("E-mail", "Email"),
            FieldPhone => ("Téléphone (facultatif)", "Phone (optional)"),
            FieldLine1 => ("Adresse", "Address"),
            FieldLine2 => ("Complément d'adresse (facultatif)", "Apartment, suite (optional)"),
            FieldPostalCode => ("Code postal", "Postal code"),
            FieldCity => ("Ville", "City"),
            FieldCountry => ("Pays", "Country"),
            RememberDetails => ("Mémoriser mes coordonnées sur cet appareil", "Remember my details on this device"),
            ShippingMethod => ("Mode de livraison", "Shipping method"),
            Free => ("Gratuit", "Free"),
            Payment => ("Paiement", "Payment"),
            CardNumber => ("Numéro de carte", "Card number"),
            Expiry => ("Expiration (MM/AA)", "Expiry (MM/YY)"),
            Cvc => ("Cryptogramme (CVC)", "Security code (CVC)"),
            CardSafety => (
                "Votre carte est envoyée directement au prestataire de paiement, jamais au marchand.",
                "Your card goes straight to the payment provider, never to the shop.",
            ),
            Review => ("Vérifier et payer", "Review and pay"),
            DeliverTo => ("Livraison à", "Deliver to"),
            PayWith => ("Payer avec", "Pay with"),
            PlaceOrder => ("Passer la commande", "Place order"),
            Placing => ("Commande en cours…", "Placing your order…"),
            Authenticating => ("Votre banque demande de confirmer ce paiement.", "Your bank asks you to confirm this payment."),
            OrderConfirmed => ("Merci ! Votre commande est confirmée.", "Thank you! Your order is confirmed."),
            OrderNumber => ("Commande", "Order"),
            ViewOrder => ("Suivre ma commande", "Track my order"),
            ContinueShopping => ("Continuer mes achats", "Continue shopping"),
            Orders => ("Mes commandes", "My orders"),
            NoOrders => ("Aucune commande récente sur cet appareil.", "No recent orders on this device."),
            CancelOrder => ("Annuler la commande", "Cancel order"),
            ConfirmCancel => ("Annuler cette commande ?", "Cancel this order?"),
            YesCancel => ("Oui, annuler", "Yes, cancel it"),
            KeepOrder => ("Non, la garder", "No, keep it"),
            Track => ("Suivre le colis", "Track parcel"),
            StatusPlaced => ("Enregistrée", "Placed"),
            StatusPaid => ("Payée", "Paid"),
            StatusShipped => ("Expédiée", "Shipped"),
            StatusDelivered => ("Livrée", "Delivered"),
            StatusCancelled => ("Annulée", "Cancelled"),
            StatusRefunded => ("Remboursée", "Refunded"),
            RequiredName => ("Indiquez votre nom.", "Enter your name."),
            RequiredEmail => ("Indiquez votre e-mail.", "Enter your email."),
            InvalidEmail => {
                ("Cet e-mail n'a pas l'air valide (ex. : nom@exemple.fr).", "This email does not look valid (e.g. name@example.com).")
            }
            InvalidPhone => ("Ce numéro de téléphone n'a pas l'air valide.", "This phone number does not look valid."),
            RequiredAddress => ("Indiquez votre adresse.", "Enter your address."),
            RequiredPostalCode => ("Indiquez votre code postal.", "Enter your postal code."),
            RequiredCity => ("Indiquez votre ville.", "Enter your city."),
            RequiredCountry => ("Choisissez un pays de livraison.", "Choose a country we ship to."),
            RequiredCardNumber => ("Indiquez le numéro de votre carte.", "Enter your card number."),
            InvalidCardNumber => ("Ce numéro de carte n'est pas valide.", "This card number is not valid."),
            InvalidExpiry => ("Indiquez la date d'expiration au format MM/AA.", "Enter the expiry date as MM/YY."),
            CardExpired => ("Cette carte a expiré.", "This card has expired."),
            InvalidCvc => {
                ("Le cryptogramme a 3 chiffres (4 pour American Express).", "The security code has 3 digits (4 for American Express).")
            }
            FixErrors => ("Corrigez les champs signalés.", "Please fix the fields marked."),
            ErrNetwork => (
                "Connexion impossible au magasin. Vérifiez votre connexion puis réessayez : rien n'est perdu.",
                "The shop could not be reached. Check your connection and try again: nothing is lost.",
            ),
            ErrTimeout => (
                "Le magasin ne répond pas. Réessayez dans un instant : rien n'est perdu.",
                "The shop is not answering. Try again in a moment: nothing is lost.",
            ),
            ErrServer => (
                "Le magasin a rencontré un problème. Réessayez dans un instant : rien n'est perdu.",
                "The shop ran into a problem. Try again in a moment: nothing is lost.",
            ),
            ErrMalformed => (
                "Le magasin a envoyé une réponse inattendue. Réessayez : rien n'est perdu.",
                "The shop sent an unexpected answer. Try again: nothing is lost.",
            ),
            ErrPriceChanged => (
                "Le prix a changé depuis votre vérification. Vérifiez le nouveau total.",
                "The price changed since you reviewed it. Please check the new total.",
            ),
            ErrCardDeclined => ("Votre carte a été refusée. Essayez une autre carte.", "Your card was declined. Try another card."),
            ErrInsufficientFunds => {
                ("Fonds insuffisants sur cette carte. Essayez une autre carte.", "This card has insufficient funds. Try another card.")
            }
            ErrPaymentToken => {
                ("Le paiement a expiré. Saisissez à nouveau votre carte.", "The payment expired. Please enter your card again.")
            }
            ErrCancelClosed => ("Cette commande ne peut plus être annulée.", "This order can no longer be cancelled."),
            ErrGeneric => ("La demande a été refusée.", "The request was refused."),
            LineUnavailable => ("N'est plus disponible.", "No longer available."),
            Items => ("Articles", "Items"),
            PaidWith => ("Payé avec", "Paid with"),
            NewForYou => ("Nouveau", "New"),
            Returns => ("Retours", "Returns"),
            ReturnItems => ("Retourner des articles", "Return items"),
            ReturnReason => ("Motif du retour", "Why are you returning them?"),
            SendReturn => ("Demander le retour", "Request the return"),
            ReturnChooseLines => ("Choisissez au moins un article à retourner.", "Choose at least one item to return."),
            ReturnNeedsReason => ("Indiquez le motif du retour (1000 caractères au plus).", "Tell us why (at most 1000 characters)."),
            ReturnRequested => ("Retour demandé", "Return requested"),
            ReturnApproved => ("Retour accepté", "Return approved"),
            ReturnRefused => ("Retour refusé", "Return refused"),
            ReturnReceived => ("Colis reçu", "Parcel received"),
            ReturnRefunded => ("Retour remboursé", "Return refunded"),
            ReturnLabel => ("Étiquette de retour", "Return label"),
            Refund => ("Remboursement", "Refund"),
            RefundedAmount => ("Remboursé", "Refunded"),
            OrderElsewhere => (
                "Cette commande a été passée sur un autre appareil ou navigateur : pour la suivre ici, ouvrez le lien de son e-mail de confirmation.",
                "This order was placed on another device or browser: to follow it here, open the link in its confirmation e-mail.",
            ),
            ContactShop => ("Contacter la boutique", "Contact the shop"),
            YourMessage => ("Votre message", "Your message"),
            Send => ("Envoyer", "Send"),
            MessageNeeded => ("Écrivez votre message (2000 caractères au plus).", "Write your message (at most 2000 characters)."),
            FromYou => ("Vous", "You"),
            FromShop => ("La boutique", "The shop"),
            ErrReturnClosed => (
                "Ce retour n'est plus possible : la commande n'est plus retournable, ou un retour attend déjà la réponse de la boutique.",
                "This return is not possible: the order can no longer be returned, or a return is already waiting for the shop's answer.",
            ),
        };
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// "Only 3 left" / "Plus que 3 en stock".
    pub fn only_left(self, count: u32) -> String {
        match self {
            Lang::Fr => format!("Plus que {count} en stock"),
            Lang::En => format!("Only {count} left"),
        }
    }

    /// A product option's name in this language (`color` -> "Couleur"); names the text
    /// table does not know are shown as the backend wrote them.
    pub fn option_name(self, name: &str) -> String {
        let known = match name.to_lowercase().as_str() {
            "color" | "colour" | "couleur" => Some(("Couleur", "Colour")),
            "size" | "taille" => Some(("Taille", "Size")),
            "material" | "matière" => Some(("Matière", "Material")),
            _ => None,
        };
        match (known, self) {
            (Some((fr, _)), Lang::Fr) => fr.to_owned(),
            (Some((_, en)), Lang::En) => en.to_owned(),
            (None, _) => name.to_owned(),
        }
    }

    /// The bag button's name: "Panier, 3 articles".
    pub fn bag_label(self, count: u32) -> String {
        match (self, count) {
            (Lang::Fr, 0 | 1) => format!("Panier, {count} article"),
            (Lang::Fr, _) => format!("Panier, {count} articles"),
            (Lang::En, 1) => "Bag, 1 item".to_owned(),
            (Lang::En, _) => format!("Bag, {count} items"),
        }
    }

    /// "Step 2 of 5", announced with each checkout step.
    /// "Total : 18,40 €" in French (a space before the colon), "Total: €18.40" in English.
    pub fn labelled(self, label: Text, value: &str) -> String {
        match self {
            Lang::Fr => format!("{} : {value}", self.text(label)),
            Lang::En => format!("{}: {value}", self.text(label)),
        }
    }

    pub fn step_of(self, step: usize, steps: usize) -> String {
        match self {
            Lang::Fr => format!("Étape {step} sur {steps}"),
            Lang::En => format!("Step {step} of {steps}"),
        }
    }

    /// A shipping option's delivery estimate.
    pub fn delivery_days(self, min: u32, max: u32) -> String {
        match (self, min == max, max) {
            (Lang::Fr, true, 0 | 1) => format!("{min} jour ouvré"),
            (Lang::Fr, true, _) => format!("{min} jours ouvrés"),
            (Lang::Fr, false, _) => format!("{min} à {max} jours ouvrés"),
            (Lang::En, true, 1) => "1 business day".to_owned(),
            (Lang::En, true, _) => format!("{min} business days"),
            (Lang::En, false, _) => format!("{min} to {max} business days"),
        }
    }

    /// Said of a bag line the backend cannot supply as asked.
    pub fn only_available(self, title: &str, available: u32) -> String {
        match (self, available) {
            (Lang::Fr, 0) => format!("« {title} » est épuisé : retiré du panier."),
            (Lang::Fr, n) => format!("« {title} » : plus que {n} en stock, quantité ajustée."),
            (Lang::En, 0) => format!("“{title}” is sold out: removed from your bag."),
            (Lang::En, n) => format!("“{title}”: only {n} left, quantity adjusted."),
        }
    }

    /// "Cancellable until 14:32".
    pub fn cancel_until(self, time: &str) -> String {
        match self {
            Lang::Fr => format!("Annulable jusqu'à {time}"),
            Lang::En => format!("You can cancel until {time}"),
        }
    }

    /// The name of the photo's bag button, which shows or hides its tags. Not a [`Text`]: the
    /// tags' download carries only the words it shows (`Lang::text` goes with the chunks).
    pub fn products_button(self, shown: bool) -> &'static str {
        match (self, shown) {
            (Lang::Fr, false) => "Afficher les produits",
            (Lang::Fr, true) => "Masquer les produits",
            (Lang::En, false) => "Show products",
            (Lang::En, true) => "Hide products",
        }
    }

    /// The badge's news: "2 commandes mises à jour" / "2 orders updated".
    pub fn orders_updated(self, count: usize) -> String {
        match (self, count) {
            (Lang::Fr, 0 | 1) => format!("{count} commande mise à jour"),
            (Lang::Fr, _) => format!("{count} commandes mises à jour"),
            (Lang::En, 1) => "1 order updated".to_owned(),
            (Lang::En, _) => format!("{count} orders updated"),
        }
    }

    /// "Returnable until 12/12/2026".
    pub fn return_until(self, time: &str) -> String {
        match self {
            Lang::Fr => format!("Retour possible jusqu'au {time}"),
            Lang::En => format!("You can return items until {time}"),
        }
    }

    /// What a carousel of media is, and each of its slides, for screen readers
    /// (`aria-roledescription`). Like [`Lang::products_button`], outside [`Text`]: only the
    /// media chunk (`carousel.rs`, `video.rs`) carries the words of this and the next three.
    pub fn carousel_role(self, slide: bool) -> &'static str {
        match (self, slide) {
            (Lang::Fr, false) => "carrousel",
            (Lang::Fr, true) => "diapositive",
            (Lang::En, false) => "carousel",
            (Lang::En, true) => "slide",
        }
    }

    /// The carousel's arrows.
    pub fn slide_arrow(self, next: bool) -> &'static str {
        match (self, next) {
            (Lang::Fr, false) => "Diapositive précédente",
            (Lang::Fr, true) => "Diapositive suivante",
            (Lang::En, false) => "Previous slide",
            (Lang::En, true) => "Next slide",
        }
    }

    /// A carousel's position dot, and its slide's name: "Diapositive 2 sur 4".
    pub fn slide_of(self, slide: usize, slides: usize) -> String {
        match self {
            Lang::Fr => format!("Diapositive {slide} sur {slides}"),
            Lang::En => format!("Slide {slide} of {slides}"),
        }
    }

    /// The title of a video's list of all its products.
    pub fn video_products(self) -> &'static str {
        match self {
            Lang::Fr => "Produits de cette vidéo",
            Lang::En => "Products in this video",
        }
    }

    /// Announced when the tags appear: "3 produits" / "3 products".
    pub fn products_shown(self, count: usize) -> String {
        match (self, count) {
            (Lang::Fr, 0 | 1) => format!("{count} produit"),
            (Lang::Fr, _) => format!("{count} produits"),
            (Lang::En, 1) => "1 product".to_owned(),
            (Lang::En, _) => format!("{count} products"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_language_from_a_locale_tag() {
        assert_eq!(Lang::from_tag("fr"), Lang::Fr);
        assert_eq!(Lang::from_tag("fr-CA"), Lang::Fr);
        assert_eq!(Lang::from_tag("FR_fr"), Lang::Fr);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("de"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
    }

    #[test]
    fn a_label_and_its_value_follow_each_language_s_typography() {
        assert_eq!(Lang::Fr.labelled(Text::Total, "18,40 €"), "Total : 18,40 €");
        assert_eq!(Lang::En.labelled(Text::Total, "€18.40"), "Total: €18.40");
    }

    #[test]
    fn plurals_follow_each_language() {
        assert_eq!(Lang::Fr.products_shown(1), "1 produit");
        assert_eq!(Lang::Fr.products_shown(2), "2 produits");
        assert_eq!(Lang::En.products_shown(1), "1 product");
        assert_eq!(Lang::En.products_shown(0), "0 products");
        assert_eq!(Lang::Fr.orders_updated(1), "1 commande mise à jour");
        assert_eq!(Lang::Fr.orders_updated(2), "2 commandes mises à jour");
        assert_eq!(Lang::En.orders_updated(2), "2 orders updated");
        assert_eq!(Lang::Fr.delivery_days(1, 1), "1 jour ouvré");
        assert_eq!(Lang::Fr.delivery_days(2, 2), "2 jours ouvrés");
        assert_eq!(Lang::En.delivery_days(1, 1), "1 business day");
        assert_eq!(Lang::En.delivery_days(3, 5), "3 to 5 business days");
    }
}
