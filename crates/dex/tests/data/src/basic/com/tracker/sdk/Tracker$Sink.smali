.class public interface abstract Lcom/tracker/sdk/Tracker$Sink;
.super Ljava/lang/Object;
.source "Tracker.java"

# virtual methods
.method public abstract send(Ljava/lang/String;IJZ)V
.end method
