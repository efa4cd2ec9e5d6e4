.class public Lcom/tracker/sdk/Tracker;
.super Ljava/lang/Object;

# static fields
.field private static sLastLocation:Landroid/location/Location;

# direct methods
.method public static track(Ljava/lang/String;)V
    .registers 9
    const/4 v0, 0x0
    const-string v1, "https://tracker.example.com/collect"
    invoke-static {v1}, Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;
    move-result-object v2
    if-eqz v2, :end
    const-string v1, "gps"
    invoke-virtual/range {v0 .. v1}, Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;
    move-result-object v3
    sput-object v3, Lcom/tracker/sdk/Tracker;->sLastLocation:Landroid/location/Location;
    invoke-interface/range {v4 .. v8}, Lcom/tracker/sdk/Tracker$Sink;->send(Ljava/lang/String;IJZ)V
    :end
    return-void
.end method
