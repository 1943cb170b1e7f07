package secrets

const unavailableHint = "Ringside keeps passwords only in the Secret Service on the session D-Bus: " +
	"install and start gnome-keyring (Debian/Ubuntu: apt install gnome-keyring) or KeePassXC with " +
	"Secret Service integration, and run Ringside inside a desktop session (DBUS_SESSION_BUS_ADDRESS set)"
