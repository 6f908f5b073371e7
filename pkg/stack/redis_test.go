package stack

import "testing"

// TestRedisWindows: the snapshot window is daily, the maintenance window
// weekly; either may run past midnight (or the week's end), windows that
// only touch do not overlap, and a window shorter than an hour is refused.
func TestRedisWindows(t *testing.T) {
	cases := []struct {
		reason, maint, snap string
		errors              int
	}{
		{"the defaults", DefaultRedisMaintenanceWindow, DefaultRedisSnapshotWindow, 0},
		{"windows that touch do not overlap", "sun:05:00-sun:06:00", "04:00-05:00", 0},
		{"the snapshot runs on Sunday too", "sun:05:00-sun:06:00", "05:30-06:30", 1},
		{"a maintenance window past the week's end", "sat:23:30-sun:00:30", "00:00-01:00", 1},
		{"a snapshot window past midnight", "tue:00:15-tue:01:15", "23:30-00:30", 1},
		{"a long maintenance window covers a whole day", "mon:00:00-wed:00:00", "12:00-13:00", 1},
		{"59 minutes", "mon:00:00-mon:00:59", "12:00-13:00", 1},
		{"a minute past the hour", "mon:24:00-mon:25:00", "12:00-13:00", 1},
		{"no such day", "sund:01:00-sund:02:00", "12:00-13:00", 1},
	}
	for _, c := range cases {
		r := &Redis{MaintenanceWindow: c.maint, SnapshotWindow: c.snap}
		if ds := checkRedisWindows(r); len(ds) != c.errors {
			t.Errorf("%s: %s and %s: %d errors, want %d: %s", c.reason, c.maint, c.snap, len(ds), c.errors, ds)
		}
	}
}

// TestSharesKeys: two key prefixes share keys when they are equal or one
// is the other followed by a colon (shop:cart:x matches shop:*); a prefix
// that merely starts like another (app, apple) has keys of its own.
func TestSharesKeys(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		share bool
	}{
		{"shop", "shop", true}, {"shop", "shop:cart", true}, {"shop:cart", "shop", true},
		{"app", "apple", false}, {"app:a", "app:b", false}, {"a", "b", false},
	} {
		if got := sharesKeys(c.a, c.b); got != c.share {
			t.Errorf("sharesKeys(%q, %q) = %v, want %v", c.a, c.b, got, c.share)
		}
	}
}
