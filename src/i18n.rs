//! Every string the shopper sees, in French, English, German, Spanish and Italian. Each text
//! is one row of five (`[fr, en, de, es, it]`): a row without all five does not compile, and
//! the tests below check that none is empty or left in English.

/// The language of the widget's text. Numbers and prices use the full locale tag
/// (see [`crate::config::WidgetConfig::locale_tag`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    Fr,
    #[default]
    En,
    De,
    Es,
    It,
}

impl Lang {
    /// Every language, in the order of the rows of [`Lang::text`].
    pub const ALL: [Lang; 5] = [Lang::Fr, Lang::En, Lang::De, Lang::Es, Lang::It];

    /// `fr`, `fr-FR`, `fr-CA` are French (and so on for each language); a language the
    /// widget does not speak is shown in English.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Lang::Fr,
            "de" => Lang::De,
            "es" => Lang::Es,
            "it" => Lang::It,
            _ => Lang::En,
        }
    }

    /// The primary language subtag (`de`), as orders and the card form take it.
    pub fn code(self) -> &'static str {
        ["fr", "en", "de", "es", "it"][self as usize]
    }
}

/// Declares the text keys ([`Text`]) and their words in [`Lang::text`], from rows
/// `Key => [fr, en, de, es, it]`: a row without its five texts matches no rule, a compile error.
macro_rules! texts {
    ($($key:ident => [$fr:expr, $en:expr, $de:expr, $es:expr, $it:expr $(,)?]),* $(,)?) => {
        /// The text keys; `Lang::text` gives each its words.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text {
            $($key),*
        }

        impl Text {
            #[cfg(test)]
            const ALL: &[Text] = &[$(Text::$key),*];
        }

        impl Lang {
            pub fn text(self, key: Text) -> &'static str {
                let row: [&'static str; 5] = match key {
                    $(Text::$key => [$fr, $en, $de, $es, $it]),*
                };
                row[self as usize]
            }
        }
    };
}

texts! {
    Close => ["Fermer", "Close", "Schließen", "Cerrar", "Chiudi"],
    AddToBag => ["Ajouter au panier", "Add to bag", "In den Warenkorb", "Añadir a la cesta", "Aggiungi al carrello"],
    BuyNow => ["Acheter", "Buy now", "Jetzt kaufen", "Comprar ahora", "Acquista ora"],
    ViewProduct => ["Voir le produit", "View product", "Produkt ansehen", "Ver el producto", "Vedi il prodotto"],
    SoldOut => ["Épuisé", "Sold out", "Ausverkauft", "Agotado", "Esaurito"],
    Loading => ["Chargement…", "Loading…", "Wird geladen…", "Cargando…", "Caricamento…"],
    LoadFailed => [
        "Impossible de charger ce produit.",
        "This product could not be loaded.",
        "Dieses Produkt konnte nicht geladen werden.",
        "No se ha podido cargar este producto.",
        "Impossibile caricare questo prodotto.",
    ],
    Retry => ["Réessayer", "Try again", "Erneut versuchen", "Reintentar", "Riprova"],
    AddedToBag => ["Ajouté au panier", "Added to bag", "Zum Warenkorb hinzugefügt", "Añadido a la cesta", "Aggiunto al carrello"],
    BagFull => ["Votre panier est plein.", "Your bag is full.", "Ihr Warenkorb ist voll.", "Tu cesta está llena.", "Il tuo carrello è pieno."],
    WasPrice => ["Prix précédent", "Was", "Vorher", "Antes", "Prima"],
    Bag => ["Panier", "Bag", "Warenkorb", "Cesta", "Carrello"],
    BagEmpty => ["Votre panier est vide.", "Your bag is empty.", "Ihr Warenkorb ist leer.", "Tu cesta está vacía.", "Il tuo carrello è vuoto."],
    Quantity => ["Quantité", "Quantity", "Menge", "Cantidad", "Quantità"],
    Decrease => ["Retirer un", "One less", "Eins weniger", "Uno menos", "Uno in meno"],
    Increase => ["Ajouter un", "One more", "Eins mehr", "Uno más", "Uno in più"],
    Remove => ["Retirer", "Remove", "Entfernen", "Quitar", "Rimuovi"],
    Subtotal => ["Sous-total", "Subtotal", "Zwischensumme", "Subtotal", "Subtotale"],
    Shipping => ["Livraison", "Shipping", "Versand", "Envío", "Spedizione"],
    TaxIncluded => ["dont TVA", "incl. VAT", "inkl. MwSt.", "IVA incluido", "IVA inclusa"],
    TaxAdded => ["Taxes", "Tax", "Steuern", "Impuestos", "Imposte"],
    Total => ["Total", "Total", "Gesamt", "Total", "Totale"],
    Checkout => ["Commander", "Check out", "Zur Kasse", "Tramitar pedido", "Procedi all'acquisto"],
    Continue => ["Continuer", "Continue", "Weiter", "Continuar", "Continua"],
    Back => ["Retour", "Back", "Zurück", "Atrás", "Indietro"],
    Edit => ["Modifier", "Edit", "Ändern", "Modificar", "Modifica"],
    ContactAndAddress => [
        "Coordonnées et livraison",
        "Contact and delivery",
        "Kontakt und Lieferung",
        "Contacto y entrega",
        "Contatti e consegna",
    ],
    FieldName => ["Nom complet", "Full name", "Vollständiger Name", "Nombre completo", "Nome e cognome"],
    FieldEmail => ["E-mail", "Email", "E-Mail", "Correo electrónico", "E-mail"],
    FieldPhone => ["Téléphone (facultatif)", "Phone (optional)", "Telefon (optional)", "Teléfono (opcional)", "Telefono (facoltativo)"],
    FieldLine1 => ["Adresse", "Address", "Adresse", "Dirección", "Indirizzo"],
    FieldLine2 => [
        "Complément d'adresse (facultatif)",
        "Apartment, suite (optional)",
        "Adresszusatz (optional)",
        "Piso, puerta (opcional)",
        "Scala, interno (facoltativo)",
    ],
    FieldPostalCode => ["Code postal", "Postal code", "Postleitzahl", "Código postal", "CAP"],
    FieldCity => ["Ville", "City", "Ort", "Ciudad", "Città"],
    FieldCountry => ["Pays", "Country", "Land", "País", "Paese"],
    RememberDetails => [
        "Mémoriser mes coordonnées sur cet appareil",
        "Remember my details on this device",
        "Meine Angaben auf diesem Gerät speichern",
        "Recordar mis datos en este dispositivo",
        "Ricorda i miei dati su questo dispositivo",
    ],
    ShippingMethod => ["Mode de livraison", "Shipping method", "Versandart", "Método de envío", "Metodo di spedizione"],
    Free => ["Gratuit", "Free", "Kostenlos", "Gratis", "Gratuita"],
    Payment => ["Paiement", "Payment", "Zahlung", "Pago", "Pagamento"],
    CardNumber => ["Numéro de carte", "Card number", "Kartennummer", "Número de tarjeta", "Numero della carta"],
    Expiry => ["Expiration (MM/AA)", "Expiry (MM/YY)", "Ablaufdatum (MM/JJ)", "Caducidad (MM/AA)", "Scadenza (MM/AA)"],
    Cvc => ["Cryptogramme (CVC)", "Security code (CVC)", "Prüfnummer (CVC)", "Código de seguridad (CVC)", "Codice di sicurezza (CVC)"],
    CardSafety => [
        "Votre carte est envoyée directement au prestataire de paiement, jamais au marchand.",
        "Your card goes straight to the payment provider, never to the shop.",
        "Ihre Karte geht direkt an den Zahlungsdienstleister, nie an den Shop.",
        "Tu tarjeta va directamente al proveedor de pagos, nunca a la tienda.",
        "La tua carta va direttamente al fornitore dei pagamenti, mai al negozio.",
    ],
    CardPaymentFrame => ["Paiement par carte", "Card payment", "Kartenzahlung", "Pago con tarjeta", "Pagamento con carta"],
    TestCard => [
        "Boutique de test : carte 4242 4242 4242 4242, date future, CVC 123.",
        "Test shop: card 4242 4242 4242 4242, a future date, CVC 123.",
        "Testshop: Karte 4242 4242 4242 4242, ein Datum in der Zukunft, CVC 123.",
        "Tienda de prueba: tarjeta 4242 4242 4242 4242, una fecha futura, CVC 123.",
        "Negozio di prova: carta 4242 4242 4242 4242, una data futura, CVC 123.",
    ],
    Review => ["Vérifier et payer", "Review and pay", "Prüfen und bezahlen", "Revisar y pagar", "Controlla e paga"],
    DeliverTo => ["Livraison à", "Deliver to", "Lieferung an", "Entregar a", "Consegna a"],
    PayWith => ["Payer avec", "Pay with", "Bezahlen mit", "Pagar con", "Paga con"],
    PlaceOrder => ["Passer la commande", "Place order", "Zahlungspflichtig bestellen", "Realizar pedido", "Conferma l'ordine"],
    Placing => ["Commande en cours…", "Placing your order…", "Bestellung wird aufgegeben…", "Realizando tu pedido…", "Invio dell'ordine…"],
    OrderConfirmed => [
        "Merci ! Votre commande est confirmée.",
        "Thank you! Your order is confirmed.",
        "Vielen Dank! Ihre Bestellung ist bestätigt.",
        "¡Gracias! Tu pedido está confirmado.",
        "Grazie! Il tuo ordine è confermato.",
    ],
    OrderNumber => ["Commande", "Order", "Bestellung", "Pedido", "Ordine"],
    ViewOrder => ["Suivre ma commande", "Track my order", "Meine Bestellung verfolgen", "Seguir mi pedido", "Segui il mio ordine"],
    ContinueShopping => ["Continuer mes achats", "Continue shopping", "Weiter einkaufen", "Seguir comprando", "Continua gli acquisti"],
    Orders => ["Mes commandes", "My orders", "Meine Bestellungen", "Mis pedidos", "I miei ordini"],
    NoOrders => [
        "Aucune commande récente sur cet appareil.",
        "No recent orders on this device.",
        "Keine aktuellen Bestellungen auf diesem Gerät.",
        "No hay pedidos recientes en este dispositivo.",
        "Nessun ordine recente su questo dispositivo.",
    ],
    CancelOrder => ["Annuler la commande", "Cancel order", "Bestellung stornieren", "Cancelar el pedido", "Annulla l'ordine"],
    ConfirmCancel => ["Annuler cette commande ?", "Cancel this order?", "Diese Bestellung stornieren?", "¿Cancelar este pedido?", "Annullare questo ordine?"],
    YesCancel => ["Oui, annuler", "Yes, cancel it", "Ja, stornieren", "Sí, cancelarlo", "Sì, annullalo"],
    KeepOrder => ["Non, la garder", "No, keep it", "Nein, behalten", "No, mantenerlo", "No, mantienilo"],
    Track => ["Suivre le colis", "Track parcel", "Sendung verfolgen", "Seguir el paquete", "Traccia il pacco"],
    StatusPlaced => ["Enregistrée", "Placed", "Aufgegeben", "Realizado", "Inviato"],
    StatusPaid => ["Payée", "Paid", "Bezahlt", "Pagado", "Pagato"],
    StatusShipped => ["Expédiée", "Shipped", "Versandt", "Enviado", "Spedito"],
    StatusDelivered => ["Livrée", "Delivered", "Zugestellt", "Entregado", "Consegnato"],
    StatusCancelled => ["Annulée", "Cancelled", "Storniert", "Cancelado", "Annullato"],
    StatusRefunded => ["Remboursée", "Refunded", "Erstattet", "Reembolsado", "Rimborsato"],
    RequiredName => ["Indiquez votre nom.", "Enter your name.", "Geben Sie Ihren Namen ein.", "Introduce tu nombre.", "Inserisci il tuo nome."],
    RequiredEmail => [
        "Indiquez votre e-mail.",
        "Enter your email.",
        "Geben Sie Ihre E-Mail-Adresse ein.",
        "Introduce tu correo electrónico.",
        "Inserisci la tua e-mail.",
    ],
    InvalidEmail => [
        "Cet e-mail n'a pas l'air valide (ex. : nom@exemple.fr).",
        "This email does not look valid (e.g. name@example.com).",
        "Diese E-Mail-Adresse scheint ungültig zu sein (z. B. name@beispiel.de).",
        "Este correo no parece válido (p. ej., nombre@ejemplo.es).",
        "Questa e-mail non sembra valida (ad es. nome@esempio.it).",
    ],
    InvalidPhone => [
        "Ce numéro de téléphone n'a pas l'air valide.",
        "This phone number does not look valid.",
        "Diese Telefonnummer scheint ungültig zu sein.",
        "Este número de teléfono no parece válido.",
        "Questo numero di telefono non sembra valido.",
    ],
    RequiredAddress => ["Indiquez votre adresse.", "Enter your address.", "Geben Sie Ihre Adresse ein.", "Introduce tu dirección.", "Inserisci il tuo indirizzo."],
    RequiredPostalCode => [
        "Indiquez votre code postal.",
        "Enter your postal code.",
        "Geben Sie Ihre Postleitzahl ein.",
        "Introduce tu código postal.",
        "Inserisci il tuo CAP.",
    ],
    RequiredCity => ["Indiquez votre ville.", "Enter your city.", "Geben Sie Ihren Ort ein.", "Introduce tu ciudad.", "Inserisci la tua città."],
    RequiredCountry => [
        "Choisissez un pays de livraison.",
        "Choose a country we ship to.",
        "Wählen Sie ein Lieferland.",
        "Elige un país de envío.",
        "Scegli un paese di spedizione.",
    ],
    RequiredCardNumber => [
        "Indiquez le numéro de votre carte.",
        "Enter your card number.",
        "Geben Sie Ihre Kartennummer ein.",
        "Introduce el número de tu tarjeta.",
        "Inserisci il numero della tua carta.",
    ],
    InvalidCardNumber => [
        "Ce numéro de carte n'est pas valide.",
        "This card number is not valid.",
        "Diese Kartennummer ist ungültig.",
        "Este número de tarjeta no es válido.",
        "Questo numero di carta non è valido.",
    ],
    InvalidExpiry => [
        "Indiquez la date d'expiration au format MM/AA.",
        "Enter the expiry date as MM/YY.",
        "Geben Sie das Ablaufdatum als MM/JJ ein.",
        "Introduce la fecha de caducidad como MM/AA.",
        "Inserisci la data di scadenza nel formato MM/AA.",
    ],
    CardExpired => ["Cette carte a expiré.", "This card has expired.", "Diese Karte ist abgelaufen.", "Esta tarjeta ha caducado.", "Questa carta è scaduta."],
    InvalidCvc => [
        "Le cryptogramme a 3 chiffres (4 pour American Express).",
        "The security code has 3 digits (4 for American Express).",
        "Die Prüfnummer hat 3 Ziffern (4 bei American Express).",
        "El código de seguridad tiene 3 cifras (4 en American Express).",
        "Il codice di sicurezza ha 3 cifre (4 per American Express).",
    ],
    FixErrors => [
        "Corrigez les champs signalés.",
        "Please fix the fields marked.",
        "Bitte korrigieren Sie die markierten Felder.",
        "Corrige los campos señalados.",
        "Correggi i campi segnalati.",
    ],
    ErrNetwork => [
        "Connexion impossible au magasin. Vérifiez votre connexion puis réessayez : rien n'est perdu.",
        "The shop could not be reached. Check your connection and try again: nothing is lost.",
        "Der Shop ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut: Es geht nichts verloren.",
        "No se ha podido conectar con la tienda. Comprueba tu conexión y vuelve a intentarlo: no se pierde nada.",
        "Impossibile raggiungere il negozio. Controlla la connessione e riprova: non si perde nulla.",
    ],
    ErrTimeout => [
        "Le magasin ne répond pas. Réessayez dans un instant : rien n'est perdu.",
        "The shop is not answering. Try again in a moment: nothing is lost.",
        "Der Shop antwortet nicht. Versuchen Sie es gleich noch einmal: Es geht nichts verloren.",
        "La tienda no responde. Vuelve a intentarlo en un momento: no se pierde nada.",
        "Il negozio non risponde. Riprova tra un momento: non si perde nulla.",
    ],
    ErrServer => [
        "Le magasin a rencontré un problème. Réessayez dans un instant : rien n'est perdu.",
        "The shop ran into a problem. Try again in a moment: nothing is lost.",
        "Beim Shop ist ein Problem aufgetreten. Versuchen Sie es gleich noch einmal: Es geht nichts verloren.",
        "La tienda ha tenido un problema. Vuelve a intentarlo en un momento: no se pierde nada.",
        "Il negozio ha avuto un problema. Riprova tra un momento: non si perde nulla.",
    ],
    ErrMalformed => [
        "Le magasin a envoyé une réponse inattendue. Réessayez : rien n'est perdu.",
        "The shop sent an unexpected answer. Try again: nothing is lost.",
        "Der Shop hat unerwartet geantwortet. Versuchen Sie es erneut: Es geht nichts verloren.",
        "La tienda ha enviado una respuesta inesperada. Vuelve a intentarlo: no se pierde nada.",
        "Il negozio ha inviato una risposta inattesa. Riprova: non si perde nulla.",
    ],
    ErrPriceChanged => [
        "Le prix a changé depuis votre vérification. Vérifiez le nouveau total.",
        "The price changed since you reviewed it. Please check the new total.",
        "Der Preis hat sich seit Ihrer Prüfung geändert. Bitte prüfen Sie die neue Gesamtsumme.",
        "El precio ha cambiado desde que lo revisaste. Comprueba el nuevo total.",
        "Il prezzo è cambiato da quando l'hai controllato. Verifica il nuovo totale.",
    ],
    ErrCardDeclined => [
        "Votre carte a été refusée. Essayez une autre carte.",
        "Your card was declined. Try another card.",
        "Ihre Karte wurde abgelehnt. Versuchen Sie es mit einer anderen Karte.",
        "Tu tarjeta ha sido rechazada. Prueba con otra tarjeta.",
        "La tua carta è stata rifiutata. Prova con un'altra carta.",
    ],
    ErrInsufficientFunds => [
        "Fonds insuffisants sur cette carte. Essayez une autre carte.",
        "This card has insufficient funds. Try another card.",
        "Diese Karte ist nicht ausreichend gedeckt. Versuchen Sie es mit einer anderen Karte.",
        "Esta tarjeta no tiene fondos suficientes. Prueba con otra tarjeta.",
        "Fondi insufficienti su questa carta. Prova con un'altra carta.",
    ],
    ErrPaymentToken => [
        "Le paiement a expiré. Saisissez à nouveau votre carte.",
        "The payment expired. Please enter your card again.",
        "Die Zahlung ist abgelaufen. Bitte geben Sie Ihre Karte erneut ein.",
        "El pago ha caducado. Vuelve a introducir tu tarjeta.",
        "Il pagamento è scaduto. Inserisci di nuovo la tua carta.",
    ],
    ErrCancelClosed => [
        "Cette commande ne peut plus être annulée.",
        "This order can no longer be cancelled.",
        "Diese Bestellung kann nicht mehr storniert werden.",
        "Este pedido ya no se puede cancelar.",
        "Questo ordine non può più essere annullato.",
    ],
    ErrGeneric => [
        "La demande a été refusée.",
        "The request was refused.",
        "Die Anfrage wurde abgelehnt.",
        "La solicitud ha sido rechazada.",
        "La richiesta è stata rifiutata.",
    ],
    LineUnavailable => ["N'est plus disponible.", "No longer available.", "Nicht mehr verfügbar.", "Ya no está disponible.", "Non più disponibile."],
    Items => ["Articles", "Items", "Artikel", "Artículos", "Articoli"],
    PaidWith => ["Payé avec", "Paid with", "Bezahlt mit", "Pagado con", "Pagato con"],
    NewForYou => ["Nouveau", "New", "Neu", "Nuevo", "Novità"],
    Returns => ["Retours", "Returns", "Rücksendungen", "Devoluciones", "Resi"],
    ReturnItems => ["Retourner des articles", "Return items", "Artikel zurücksenden", "Devolver artículos", "Restituisci articoli"],
    ReturnReason => [
        "Motif du retour",
        "Why are you returning them?",
        "Warum senden Sie sie zurück?",
        "¿Por qué los devuelves?",
        "Perché li restituisci?",
    ],
    SendReturn => ["Demander le retour", "Request the return", "Rücksendung anfragen", "Solicitar la devolución", "Richiedi il reso"],
    ReturnChooseLines => [
        "Choisissez au moins un article à retourner.",
        "Choose at least one item to return.",
        "Wählen Sie mindestens einen Artikel zum Zurücksenden.",
        "Elige al menos un artículo para devolver.",
        "Scegli almeno un articolo da restituire.",
    ],
    ReturnNeedsReason => [
        "Indiquez le motif du retour (1000 caractères au plus).",
        "Tell us why (at most 1000 characters).",
        "Nennen Sie uns den Grund (höchstens 1000 Zeichen).",
        "Dinos el motivo (1000 caracteres como máximo).",
        "Indica il motivo (al massimo 1000 caratteri).",
    ],
    ReturnRequested => ["Retour demandé", "Return requested", "Rücksendung angefragt", "Devolución solicitada", "Reso richiesto"],
    ReturnApproved => ["Retour accepté", "Return approved", "Rücksendung angenommen", "Devolución aceptada", "Reso accettato"],
    ReturnRefused => ["Retour refusé", "Return refused", "Rücksendung abgelehnt", "Devolución rechazada", "Reso rifiutato"],
    ReturnReceived => ["Colis reçu", "Parcel received", "Paket erhalten", "Paquete recibido", "Pacco ricevuto"],
    ReturnRefunded => ["Retour remboursé", "Return refunded", "Rücksendung erstattet", "Devolución reembolsada", "Reso rimborsato"],
    ReturnLabel => ["Étiquette de retour", "Return label", "Rücksendeetikett", "Etiqueta de devolución", "Etichetta di reso"],
    Refund => ["Remboursement", "Refund", "Erstattung", "Reembolso", "Rimborso"],
    RefundedAmount => ["Remboursé", "Refunded", "Erstattet", "Reembolsado", "Rimborsato"],
    OrderElsewhere => [
        "Cette commande a été passée sur un autre appareil ou navigateur : pour la suivre ici, ouvrez le lien de son e-mail de confirmation.",
        "This order was placed on another device or browser: to follow it here, open the link in its confirmation e-mail.",
        "Diese Bestellung wurde auf einem anderen Gerät oder in einem anderen Browser aufgegeben: Um sie hier zu verfolgen, öffnen Sie den Link in ihrer Bestätigungs-E-Mail.",
        "Este pedido se realizó en otro dispositivo o navegador: para seguirlo aquí, abre el enlace de su correo de confirmación.",
        "Questo ordine è stato effettuato su un altro dispositivo o browser: per seguirlo qui, apri il link nella sua e-mail di conferma.",
    ],
    ContactShop => ["Contacter la boutique", "Contact the shop", "Shop kontaktieren", "Contactar con la tienda", "Contatta il negozio"],
    YourMessage => ["Votre message", "Your message", "Ihre Nachricht", "Tu mensaje", "Il tuo messaggio"],
    Send => ["Envoyer", "Send", "Senden", "Enviar", "Invia"],
    MessageNeeded => [
        "Écrivez votre message (2000 caractères au plus).",
        "Write your message (at most 2000 characters).",
        "Schreiben Sie Ihre Nachricht (höchstens 2000 Zeichen).",
        "Escribe tu mensaje (2000 caracteres como máximo).",
        "Scrivi il tuo messaggio (al massimo 2000 caratteri).",
    ],
    FromYou => ["Vous", "You", "Sie", "Tú", "Tu"],
    FromShop => ["La boutique", "The shop", "Der Shop", "La tienda", "Il negozio"],
    ErrReturnClosed => [
        "Ce retour n'est plus possible : la commande n'est plus retournable, ou un retour attend déjà la réponse de la boutique.",
        "This return is not possible: the order can no longer be returned, or a return is already waiting for the shop's answer.",
        "Diese Rücksendung ist nicht möglich: Die Bestellung kann nicht mehr zurückgesendet werden, oder eine Rücksendung wartet bereits auf die Antwort des Shops.",
        "Esta devolución no es posible: el pedido ya no se puede devolver, o ya hay una devolución esperando la respuesta de la tienda.",
        "Questo reso non è possibile: l'ordine non è più restituibile, oppure un reso attende già la risposta del negozio.",
    ],
}

impl Lang {
    /// "Only 3 left" / "Plus que 3 en stock".
    pub fn only_left(self, count: u32) -> String {
        match self {
            Lang::Fr => format!("Plus que {count} en stock"),
            Lang::En => format!("Only {count} left"),
            Lang::De => format!("Nur noch {count} verfügbar"),
            Lang::Es => format!("Solo quedan {count}"),
            Lang::It => format!("Ne restano solo {count}"),
        }
    }

    /// A product option's name in this language (`color` -> "Couleur"); names the text
    /// table does not know are shown as the backend wrote them.
    pub fn option_name(self, name: &str) -> String {
        let known = match name.to_lowercase().as_str() {
            "color" | "colour" | "couleur" | "farbe" | "colore" => Some(["Couleur", "Colour", "Farbe", "Color", "Colore"]),
            "size" | "taille" | "größe" | "talla" | "taglia" => Some(["Taille", "Size", "Größe", "Talla", "Taglia"]),
            "material" | "matière" | "materiale" => Some(["Matière", "Material", "Material", "Material", "Materiale"]),
            _ => None,
        };
        known.map_or_else(|| name.to_owned(), |names| names[self as usize].to_owned())
    }

    /// The bag button's name: "Panier, 3 articles".
    pub fn bag_label(self, count: u32) -> String {
        match (self, count) {
            (Lang::Fr, 0 | 1) => format!("Panier, {count} article"),
            (Lang::Fr, _) => format!("Panier, {count} articles"),
            (Lang::En, 1) => "Bag, 1 item".to_owned(),
            (Lang::En, _) => format!("Bag, {count} items"),
            (Lang::De, _) => format!("Warenkorb, {count} Artikel"),
            (Lang::Es, 1) => "Cesta, 1 artículo".to_owned(),
            (Lang::Es, _) => format!("Cesta, {count} artículos"),
            (Lang::It, 1) => "Carrello, 1 articolo".to_owned(),
            (Lang::It, _) => format!("Carrello, {count} articoli"),
        }
    }

    /// "Total : 18,40 €" in French (a space before the colon), "Total: €18.40" in the others.
    pub fn labelled(self, label: Text, value: &str) -> String {
        match self {
            Lang::Fr => format!("{} : {value}", self.text(label)),
            Lang::En | Lang::De | Lang::Es | Lang::It => format!("{}: {value}", self.text(label)),
        }
    }

    /// "Step 2 of 5", announced with each checkout step.
    pub fn step_of(self, step: usize, steps: usize) -> String {
        match self {
            Lang::Fr => format!("Étape {step} sur {steps}"),
            Lang::En => format!("Step {step} of {steps}"),
            Lang::De => format!("Schritt {step} von {steps}"),
            Lang::Es => format!("Paso {step} de {steps}"),
            Lang::It => format!("Passaggio {step} di {steps}"),
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
            (Lang::De, true, 1) => "1 Werktag".to_owned(),
            (Lang::De, true, _) => format!("{min} Werktage"),
            (Lang::De, false, _) => format!("{min} bis {max} Werktage"),
            (Lang::Es, true, 1) => "1 día laborable".to_owned(),
            (Lang::Es, true, _) => format!("{min} días laborables"),
            (Lang::Es, false, _) => format!("De {min} a {max} días laborables"),
            (Lang::It, true, 1) => "1 giorno lavorativo".to_owned(),
            (Lang::It, true, _) => format!("{min} giorni lavorativi"),
            (Lang::It, false, _) => format!("Da {min} a {max} giorni lavorativi"),
        }
    }

    /// Said of a bag line the backend cannot supply as asked.
    pub fn only_available(self, title: &str, available: u32) -> String {
        match (self, available) {
            (Lang::Fr, 0) => format!("« {title} » est épuisé : retiré du panier."),
            (Lang::Fr, n) => format!("« {title} » : plus que {n} en stock, quantité ajustée."),
            (Lang::En, 0) => format!("“{title}” is sold out: removed from your bag."),
            (Lang::En, n) => format!("“{title}”: only {n} left, quantity adjusted."),
            (Lang::De, 0) => format!("„{title}“ ist ausverkauft: aus dem Warenkorb entfernt."),
            (Lang::De, n) => format!("„{title}“: nur noch {n} verfügbar, Menge angepasst."),
            (Lang::Es, 0) => format!("«{title}» está agotado: se ha quitado de la cesta."),
            (Lang::Es, n) => format!("«{title}»: solo quedan {n}, cantidad ajustada."),
            (Lang::It, 0) => format!("«{title}» è esaurito: rimosso dal carrello."),
            (Lang::It, n) => format!("«{title}»: ne restano solo {n}, quantità aggiornata."),
        }
    }

    /// "Cancellable until 14:32".
    pub fn cancel_until(self, time: &str) -> String {
        match self {
            Lang::Fr => format!("Annulable jusqu'à {time}"),
            Lang::En => format!("You can cancel until {time}"),
            Lang::De => format!("Stornierbar bis {time}"),
            Lang::Es => format!("Puedes cancelarlo hasta las {time}"),
            Lang::It => format!("Puoi annullarlo fino alle {time}"),
        }
    }

    /// The name of the photo's bag button, which shows or hides its tags. Not a [`Text`]: the
    /// tags' download carries only the words it shows (`Lang::text` goes with the chunks).
    pub fn products_button(self, shown: bool) -> &'static str {
        let [show, hide] = match self {
            Lang::Fr => ["Afficher les produits", "Masquer les produits"],
            Lang::En => ["Show products", "Hide products"],
            Lang::De => ["Produkte anzeigen", "Produkte ausblenden"],
            Lang::Es => ["Mostrar productos", "Ocultar productos"],
            Lang::It => ["Mostra i prodotti", "Nascondi i prodotti"],
        };
        if shown { hide } else { show }
    }

    /// The badge's news: "2 commandes mises à jour" / "2 orders updated".
    pub fn orders_updated(self, count: usize) -> String {
        match (self, count) {
            (Lang::Fr, 0 | 1) => format!("{count} commande mise à jour"),
            (Lang::Fr, _) => format!("{count} commandes mises à jour"),
            (Lang::En, 1) => "1 order updated".to_owned(),
            (Lang::En, _) => format!("{count} orders updated"),
            (Lang::De, 1) => "1 Bestellung aktualisiert".to_owned(),
            (Lang::De, _) => format!("{count} Bestellungen aktualisiert"),
            (Lang::Es, 1) => "1 pedido actualizado".to_owned(),
            (Lang::Es, _) => format!("{count} pedidos actualizados"),
            (Lang::It, 1) => "1 ordine aggiornato".to_owned(),
            (Lang::It, _) => format!("{count} ordini aggiornati"),
        }
    }

    /// "Returnable until 12/12/2026".
    pub fn return_until(self, time: &str) -> String {
        match self {
            Lang::Fr => format!("Retour possible jusqu'au {time}"),
            Lang::En => format!("You can return items until {time}"),
            Lang::De => format!("Rücksendung möglich bis {time}"),
            Lang::Es => format!("Puedes devolver artículos hasta el {time}"),
            Lang::It => format!("Puoi restituire gli articoli fino al {time}"),
        }
    }

    /// Announced when the tags appear: "3 produits" / "3 products".
    pub fn products_shown(self, count: usize) -> String {
        match (self, count) {
            (Lang::Fr, 0 | 1) => format!("{count} produit"),
            (Lang::Fr, _) => format!("{count} produits"),
            (Lang::En, 1) => "1 product".to_owned(),
            (Lang::En, _) => format!("{count} products"),
            (Lang::De, 1) => "1 Produkt".to_owned(),
            (Lang::De, _) => format!("{count} Produkte"),
            (Lang::Es, 1) => "1 producto".to_owned(),
            (Lang::Es, _) => format!("{count} productos"),
            (Lang::It, 1) => "1 prodotto".to_owned(),
            (Lang::It, _) => format!("{count} prodotti"),
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
        assert_eq!(Lang::from_tag("de-AT"), Lang::De);
        assert_eq!(Lang::from_tag("es-MX"), Lang::Es);
        assert_eq!(Lang::from_tag("it"), Lang::It);
        assert_eq!(Lang::from_tag("nl"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
    }

    /// Words that are the same in English and in another language, on purpose.
    const SAME_AS_ENGLISH: [(Lang, Text); 3] = [(Lang::Fr, Text::Total), (Lang::Es, Text::Total), (Lang::Es, Text::Subtotal)];

    #[test]
    fn every_text_is_written_in_every_language() {
        for &key in Text::ALL {
            let english = Lang::En.text(key);
            for lang in Lang::ALL {
                let text = lang.text(key);
                assert!(!text.trim().is_empty(), "{key:?} is empty in {lang:?}");
                if lang != Lang::En && !SAME_AS_ENGLISH.contains(&(lang, key)) {
                    assert_ne!(text, english, "{key:?} is left in English in {lang:?}");
                }
            }
        }
        for (lang, key) in SAME_AS_ENGLISH {
            assert_eq!(lang.text(key), Lang::En.text(key), "{key:?} in {lang:?} differs from English: take it off the list");
        }
    }

    #[test]
    fn the_sentences_with_numbers_are_written_in_every_language() {
        for lang in Lang::ALL.into_iter().filter(|lang| *lang != Lang::En) {
            let en = Lang::En;
            assert_ne!(lang.only_left(2), en.only_left(2));
            assert_ne!(lang.option_name("size"), en.option_name("size"));
            assert_ne!(lang.bag_label(2), en.bag_label(2));
            assert_ne!(lang.step_of(1, 4), en.step_of(1, 4));
            assert_ne!(lang.delivery_days(2, 3), en.delivery_days(2, 3));
            assert_ne!(lang.only_available("Mug", 0), en.only_available("Mug", 0));
            assert_ne!(lang.cancel_until("14:32"), en.cancel_until("14:32"));
            assert_ne!(lang.products_button(true), en.products_button(true));
            assert_ne!(lang.products_button(false), en.products_button(false));
            assert_ne!(lang.orders_updated(2), en.orders_updated(2));
            assert_ne!(lang.return_until("12/12/2026"), en.return_until("12/12/2026"));
            assert_ne!(lang.products_shown(2), en.products_shown(2));
            assert_eq!(Lang::from_tag(lang.code()), lang);
        }
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
        assert_eq!(Lang::De.bag_label(1), "Warenkorb, 1 Artikel");
        assert_eq!(Lang::Es.bag_label(2), "Cesta, 2 artículos");
        assert_eq!(Lang::It.products_shown(1), "1 prodotto");
        assert_eq!(Lang::It.products_shown(3), "3 prodotti");
    }
}
